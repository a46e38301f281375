/* onetlocal web UI: plain JavaScript, no library, no build step.
 *
 * Every request goes to "api/<API path>" relative to this page, i.e. the same-origin proxy /ui/api/... that the
 * server answers with the key the operator configured (onetlocal serve --ui-key NAME); no key is ever in here.
 * Pages are hash routes (#/, #/occupation/CODE, #/profiler, #/veterans, #/code) so the server serves one file.
 * #/code codes an uploaded CSV's job titles (POST api/onetlocal/code, 1,000 titles a request; the file never
 * leaves the browser except as those titles), lets the visitor correct a row and downloads the result as CSV.
 * All data text is put into the page with textContent (never innerHTML).
 */
"use strict";
(() => {
  const main = document.getElementById("main");
  const statusBox = document.getElementById("status");
  const langButton = document.getElementById("lang");

  // ---- text of the page itself, English and Spanish -------------------------------------------------------
  const TEXT = {
    en: {
      brand: "Career explorer", nav_search: "Search", nav_profiler: "Interest Profiler", nav_veterans: "Veterans",
      footer: "Data: O*NET (U.S. Department of Labor, Employment and Training Administration), BLS OEWS wages. Served offline by onetlocal.",
      lang_other: "Español", search_title: "Find a career", search_label: "Search careers by keyword, job title or O*NET-SOC code",
      search_hint: "Results appear as you type.", results: (n) => `${n} ${n === 1 ? "career matches" : "careers match"}`,
      showing: (a, b) => `showing ${a} to ${b}`, none: "No careers match. Try another word.", bright: "Bright Outlook",
      hot: "Hot Technology", in_demand: "In Demand", loading: "Loading…", overview: "Overview", also_called: "Also called",
      tasks: "Tasks", skills: "Skills", knowledge: "Knowledge", abilities: "Abilities", importance: "importance",
      technology: "Technology", education: "Education", job_zone: "Job Zone", related: "Related occupations",
      wages: "Wages", national: "National", state: "State", choose_state: "Wages in a state", percentile: "Percentile",
      annual: "Annual wages", hourly: "Hourly wages", p10: "10th", p25: "25th", median: "Median", p75: "75th", p90: "90th",
      no_wages: "No wage data for this occupation.", no_state_wages: "No wage data for this occupation in this state.",
      api_links: "API JSON behind this page", respondents: "of respondents", wage_year: (y) => `BLS OEWS, ${y}`,
      profiler: "Interest Profiler", profiler_intro: "60 work activities. For each, choose how much you would like doing it. Don't think about education, training or pay: only whether you would enjoy the work.",
      layout: "Show", per_page: "12 questions a page", one_at_a_time: "One question at a time",
      answered: (n, t) => `${n} of ${t} answered`, back: "Back", next: "Next", see_results: "See my results",
      unanswered: "Please answer every question on this page.", your_interests: "Your interests",
      riasec_caption: "Scores from 0 to 40 for the six interest areas", careers_for_you: "Careers that fit your interests",
      zone_label: "Job Zone (how much preparation)", all_zones: "All job zones", fit: "fit", start_over: "Start over",
      more: "Show more careers", vet_title: "Careers like my military job", vet_label: "Military job code or title (for example 68W or mechanic)",
      find: "Find careers", matches: "Military jobs matched", not_found: "Page not found.", spanish_note: "Spanish text from Mi Próximo Paso.",
      no_spanish: "No Spanish text for this career in this data; showing English.", error: "Something went wrong",
      no_data: "This information is not available on this site.",
      not_set_up: "This site cannot look up careers at the moment. Please let the people who run it know.",
      busy: "Too many requests at once. Please wait a moment and try again.",
      updating: "The career information is being updated. Please try again in a few minutes.",
      question: (i, t) => `Question ${i} of ${t}`, all_careers_total: (n) => `${n} careers`, score: "score",
      nav_code: "Code titles", code_title: "Code job titles to occupations",
      code_intro: "Upload a CSV file with a column of job titles. Each title gets the O*NET-SOC occupation it most likely is, with the probability that it is right, and two alternatives. Rows below 50% are marked for review: pick another occupation where the first is wrong, then download the result.",
      code_file: "CSV file (first row: column names)", code_column: "Column of job titles", code_industry: "Column of industry codes (NAICS, optional)",
      code_no_industry: "None", code_run: "Code the titles", code_rows: (n) => `${n} rows read.`,
      code_progress: (n, total) => `${n} of ${total} titles coded…`, code_done: (n, r) => `${n} titles coded; ${r} marked for review.`,
      code_input: "Job title", code_code: "Occupation", code_conf: "Probability right", code_review: "Review",
      code_check: "check", code_for: (title) => `Occupation for ${title}`, code_none: "(none of these)", code_download: "Download CSV",
      code_empty: "The file has no rows under its first line.",
    },
    es: {
      brand: "Explorador de carreras", nav_search: "Buscar", nav_profiler: "Perfil de intereses", nav_veterans: "Veteranos",
      footer: "Datos: O*NET (Departamento de Trabajo de EE. UU.), salarios BLS OEWS. Servido sin conexión por onetlocal.",
      lang_other: "English", search_title: "Encuentre una carrera", search_label: "Busque carreras por palabra clave, título o código O*NET-SOC",
      search_hint: "Los resultados aparecen mientras escribe.", results: (n) => `${n} ${n === 1 ? "carrera coincide" : "carreras coinciden"}`,
      showing: (a, b) => `de ${a} a ${b}`, none: "Ninguna carrera coincide. Pruebe otra palabra.", bright: "Buenas perspectivas",
      hot: "Tecnología popular", in_demand: "Solicitada", loading: "Cargando…", overview: "Resumen", also_called: "También llamado",
      tasks: "Tareas", skills: "Habilidades", knowledge: "Conocimientos", abilities: "Aptitudes", importance: "importancia",
      technology: "Tecnología", education: "Educación", job_zone: "Zona de trabajo", related: "Ocupaciones relacionadas",
      wages: "Salarios", national: "Nacional", state: "Estado", choose_state: "Salarios en un estado", percentile: "Percentil",
      annual: "Salario anual", hourly: "Salario por hora", p10: "10.º", p25: "25.º", median: "Mediana", p75: "75.º", p90: "90.º",
      no_wages: "No hay datos de salario para esta ocupación.", no_state_wages: "No hay datos de salario para esta ocupación en este estado.",
      api_links: "JSON de la API detrás de esta página", respondents: "de los encuestados", wage_year: (y) => `BLS OEWS, ${y}`,
      profiler: "Perfil de intereses", profiler_intro: "60 actividades de trabajo. Para cada una, elija cuánto le gustaría hacerla. No piense en la educación, la capacitación ni el sueldo.",
      layout: "Mostrar", per_page: "12 preguntas por página", one_at_a_time: "Una pregunta a la vez",
      answered: (n, t) => `${n} de ${t} respondidas`, back: "Atrás", next: "Siguiente", see_results: "Ver mis resultados",
      unanswered: "Responda todas las preguntas de esta página.", your_interests: "Sus intereses",
      riasec_caption: "Puntajes de 0 a 40 en las seis áreas de interés", careers_for_you: "Carreras que se ajustan a sus intereses",
      zone_label: "Zona de trabajo (cuánta preparación)", all_zones: "Todas las zonas", fit: "ajuste", start_over: "Empezar de nuevo",
      more: "Mostrar más carreras", vet_title: "Carreras como mi trabajo militar", vet_label: "Código o título del trabajo militar (por ejemplo 68W o mechanic)",
      find: "Buscar carreras", matches: "Trabajos militares relacionados", not_found: "Página no encontrada.", spanish_note: "Texto en español de Mi Próximo Paso.",
      no_spanish: "No hay texto en español para esta carrera en estos datos; se muestra en inglés.", error: "Algo salió mal",
      no_data: "Esta información no está disponible en este sitio.",
      not_set_up: "Este sitio no puede buscar carreras en este momento. Avise a las personas que lo administran.",
      busy: "Demasiadas solicitudes a la vez. Espere un momento y vuelva a intentarlo.",
      updating: "La información de carreras se está actualizando. Vuelva a intentarlo en unos minutos.",
      question: (i, t) => `Pregunta ${i} de ${t}`, all_careers_total: (n) => `${n} carreras`, score: "puntaje",
      nav_code: "Codificar títulos", code_title: "Codificar títulos de trabajo",
      code_intro: "Suba un archivo CSV con una columna de títulos de trabajo. Cada título recibe la ocupación O*NET-SOC más probable, con la probabilidad de que sea correcta, y dos alternativas. Las filas por debajo del 50% quedan marcadas para revisar: elija otra ocupación donde la primera sea incorrecta y descargue el resultado.",
      code_file: "Archivo CSV (primera fila: nombres de columnas)", code_column: "Columna de títulos", code_industry: "Columna de códigos de industria (NAICS, opcional)",
      code_no_industry: "Ninguna", code_run: "Codificar", code_rows: (n) => `${n} filas leídas.`,
      code_progress: (n, total) => `${n} de ${total} títulos codificados…`, code_done: (n, r) => `${n} títulos codificados; ${r} para revisar.`,
      code_input: "Título", code_code: "Ocupación", code_conf: "Probabilidad", code_review: "Revisar",
      code_check: "revisar", code_for: (title) => `Ocupación para ${title}`, code_none: "(ninguna de estas)", code_download: "Descargar CSV",
      code_empty: "El archivo no tiene filas debajo de la primera línea.",
    },
  };
  let lang = "en";
  try { lang = localStorage.getItem("onetlocal-ui-lang") === "es" ? "es" : "en"; } catch (e) { /* storage off */ }
  const t = (key, ...args) => {
    const v = (TEXT[lang] && TEXT[lang][key]) || TEXT.en[key];
    return typeof v === "function" ? v(...args) : v;
  };
  /** Attributes for O*NET text (English) inside a page whose language is Spanish. */
  const EN = () => (lang === "es" ? { lang: "en" } : {});

  // ---- DOM helpers ---------------------------------------------------------------------------------------
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  }
  const announce = (msg) => { statusBox.textContent = msg; };
  let uid = 0;
  const nextId = (p) => `${p}-${++uid}`;

  // ---- the API, through the same-origin proxy ---------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, message, noData) { super(message); this.status = status; this.noData = noData; }
  }
  let used = []; // API paths this page read (listed under "API JSON behind this page")

  async function api(path, params, options) {
    const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString() : "";
    const full = query ? `${path}?${query}` : path;
    if (!used.includes(full)) used.push(full);
    const response = await fetch(`api${full}`, { headers: { Accept: "application/json" }, signal: options && options.signal });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      throw new ApiError(response.status, (body && (body.error || body.Message)) || response.statusText,
        response.headers.has("X-Onetlocal-No-Data"));
    }
    return body;
  }
  const proxied = (path) => `api${path}`;

  /** What the page's visitors read when a call fails: a plain sentence where the API's message is written for the
   * server's operator (data not imported, no UI key, rate limit, database being rebuilt), else the message. */
  const PLAIN = { 401: "not_set_up", 403: "not_set_up", 429: "busy", 503: "updating" };
  function errorBox(err) {
    if (err && err.name === "AbortError") return null;
    const plain = err && (err.noData ? "no_data" : PLAIN[err.status]);
    if (plain) return h("p", { class: "notice", role: "status", "data-plain": plain }, t(plain));
    return h("p", { class: "error", role: "alert" }, `${t("error")}: ${err && err.message ? err.message : err}`);
  }

  // ---- routing -------------------------------------------------------------------------------------------
  let generation = 0; // bumped per navigation: late answers for a page no longer shown are dropped
  let firstRoute = true;

  function page(title, ...kids) {
    const h1 = h("h1", { tabindex: "-1" }, title);
    main.replaceChildren(h1, ...kids);
    document.title = `${typeof title === "string" ? title : h1.textContent} · ${t("brand")}`;
    if (!firstRoute) h1.focus();
    return h1;
  }

  function setNav(name) {
    for (const a of document.querySelectorAll("[data-nav]")) {
      if (a.dataset.nav === name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
  }

  function translateChrome() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    langButton.textContent = t("lang_other");
    langButton.setAttribute("lang", lang === "es" ? "en" : "es");
    langButton.setAttribute("aria-pressed", String(lang === "es"));
  }

  function route() {
    const hash = location.hash.replace(/^#/, "") || "/";
    const [path, query] = hash.split("?");
    const params = new URLSearchParams(query || "");
    const parts = path.split("/").filter(Boolean);
    const gen = ++generation;
    used = [];
    const view = parts[0] || "search";
    setNav(view === "occupation" ? "search" : view);
    let done;
    if (view === "search") done = searchPage(params, gen);
    else if (view === "occupation" && parts[1]) done = occupationPage(decodeURIComponent(parts[1]), gen);
    else if (view === "profiler") done = profilerPage(params, gen);
    else if (view === "veterans") done = veteransPage(params, gen);
    else if (view === "code") done = codePage(gen);
    else { page(t("not_found")); done = Promise.resolve(); }
    firstRoute = false;
    return done;
  }
  const current = (gen) => gen === generation;

  // ---- shared pieces -----------------------------------------------------------------------------------
  function tags(item) {
    const out = [];
    if (item.tags && item.tags.bright_outlook) out.push(h("span", { class: "tag bright" }, t("bright")));
    return out;
  }

  function careerList(items, extra) {
    return h("ul", { class: "results" }, items.map((item) => h("li", {},
      h("a", { href: `#/occupation/${item.code}`, ...EN() }, item.title),
      h("span", { class: "code" }, item.code),
      ...tags(item),
      extra ? extra(item) : null)));
  }

  function bars(items, label, max) {
    return h("ul", { class: "bars" }, items.map((item) => {
      const value = Math.max(0, Math.min(max, Number(item.value) || 0));
      return h("li", {},
        h("span", EN(), item.name),
        h("span", { class: "meter", role: "img", "aria-label": `${label} ${item.value} / ${max}` },
          h("span", { style: null, "data-w": (100 * value / max).toFixed(1) })),
        h("span", { class: "num", "aria-hidden": "true" }, item.value));
    }));
  }
  /** Bar widths are set from script (the Content-Security-Policy refuses inline style attributes). */
  function sizeBars(root) {
    for (const el of root.querySelectorAll("[data-w]")) el.style.width = `${el.dataset.w}%`;
  }

  function section(id, title) {
    const headId = nextId(id);
    const body = h("div", {}, h("p", { class: "loading" }, t("loading")));
    const el = h("section", { "aria-labelledby": headId, "data-section": id }, h("h2", { id: headId }, title), body);
    return { el, body };
  }

  function fill(target, gen, promise, render) {
    return promise.then((data) => {
      if (!current(gen)) return;
      const out = render(data);
      target.body.replaceChildren(...[].concat(out).filter(Boolean));
      sizeBars(target.body);
    }, (err) => {
      if (!current(gen)) return;
      target.body.replaceChildren(errorBox(err) || "");
    });
  }

  function apiLinks(gen) {
    if (!current(gen)) return;
    const old = main.querySelector("[data-api-links]");
    const box = h("details", { class: "panel", "data-api-links": "" },
      h("summary", {}, t("api_links")),
      h("ul", { class: "api-links" }, used.map((p) => h("li", {}, h("a", { href: proxied(p) }, p)))));
    if (old) old.replaceWith(box); else main.append(box);
  }

  // ---- search ---------------------------------------------------------------------------------------------
  let searchController = null;
  let searchTimer = 0;

  function searchPage(params, gen) {
    const inputId = nextId("q");
    const hintId = nextId("hint");
    const input = h("input", { id: inputId, type: "search", name: "keyword", autocomplete: "off", spellcheck: "false",
      "aria-describedby": hintId, "aria-controls": "search-results", value: params.get("q") || "" });
    const results = h("div", { id: "search-results" });
    const form = h("form", { role: "search", onsubmit: (e) => { e.preventDefault(); run(); } },
      h("label", { for: inputId }, t("search_label")), input, h("p", { id: hintId, class: "muted" }, t("search_hint")));
    page(t("search_title"), form, results);
    if (firstRoute || !params.get("q")) input.focus();

    function run() {
      clearTimeout(searchTimer);
      const keyword = input.value.trim();
      history.replaceState(null, "", keyword ? `#/search?q=${encodeURIComponent(keyword)}` : "#/");
      if (searchController) searchController.abort();
      if (keyword.length < 2) { results.replaceChildren(); return Promise.resolve(); }
      searchController = new AbortController();
      used = [];
      return api("/online/search", { keyword, end: 20 }, { signal: searchController.signal }).then((data) => {
        if (!current(gen) || input.value.trim() !== keyword) return;
        const items = data.occupation || [];
        const count = items.length ? `${t("results", data.total)}, ${t("showing", data.start, data.end)}` : t("none");
        results.replaceChildren(h("p", { class: "muted", "data-count": data.total }, count), careerList(items));
        announce(items.length ? t("results", data.total) : t("none"));
        apiLinks(gen);
      }, (err) => { if (current(gen) && err.name !== "AbortError") results.replaceChildren(errorBox(err)); });
    }
    input.addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(run, 250); });
    return input.value.trim() ? run() : Promise.resolve();
  }

  // ---- occupation ---------------------------------------------------------------------------------------
  const STATES = [["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"], ["CA", "California"],
    ["CO", "Colorado"], ["CT", "Connecticut"], ["DE", "Delaware"], ["DC", "District of Columbia"], ["FL", "Florida"],
    ["GA", "Georgia"], ["HI", "Hawaii"], ["ID", "Idaho"], ["IL", "Illinois"], ["IN", "Indiana"], ["IA", "Iowa"],
    ["KS", "Kansas"], ["KY", "Kentucky"], ["LA", "Louisiana"], ["ME", "Maine"], ["MD", "Maryland"],
    ["MA", "Massachusetts"], ["MI", "Michigan"], ["MN", "Minnesota"], ["MS", "Mississippi"], ["MO", "Missouri"],
    ["MT", "Montana"], ["NE", "Nebraska"], ["NV", "Nevada"], ["NH", "New Hampshire"], ["NJ", "New Jersey"],
    ["NM", "New Mexico"], ["NY", "New York"], ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"],
    ["OK", "Oklahoma"], ["OR", "Oregon"], ["PA", "Pennsylvania"], ["RI", "Rhode Island"], ["SC", "South Carolina"],
    ["SD", "South Dakota"], ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"], ["VT", "Vermont"],
    ["VA", "Virginia"], ["WA", "Washington"], ["WV", "West Virginia"], ["WI", "Wisconsin"], ["WY", "Wyoming"],
    ["PR", "Puerto Rico"], ["GU", "Guam"], ["VI", "Virgin Islands"]];
  const CODE = /^\d{2}-\d{4}\.\d{2}$/;
  const sectionNames = (contents) => new Set((contents || []).map((c) => c.href.replace(/\/+$/, "").split("/").pop()));

  async function occupationPage(code, gen) {
    if (!CODE.test(code)) { page(t("not_found")); return; }
    const h1 = page(code);
    let overview;
    try {
      overview = await api(`/online/occupations/${code}/`);
    } catch (err) {
      if (current(gen)) main.append(errorBox(err));
      return;
    }
    if (!current(gen)) return;
    h1.textContent = overview.title;
    if (lang === "es") h1.setAttribute("lang", "en");
    document.title = `${overview.title} · ${t("brand")}`;
    const summary = sectionNames(overview.summary_contents);
    const details = sectionNames(overview.details_contents);
    const isCareer = Boolean(overview.job_zone);

    const head = h("div", {},
      h("p", {}, h("span", { class: "code" }, overview.code), " ", ...tags(overview)),
      h("p", { class: "lead", ...EN() }, overview.description));
    const spanish = h("div", {});
    if ((overview.sample_of_reported_titles || []).length) {
      head.append(h("p", {}, h("strong", {}, `${t("also_called")}: `),
        h("span", EN(), overview.sample_of_reported_titles.join(", "))));
    }
    main.append(spanish, head);
    const jobs = [];
    if (lang === "es" && isCareer) {
      jobs.push(api(`/mpp/careers/${code}/`).then((mpp) => {
        if (!current(gen)) return;
        const es = mpp.text_language || {};
        if (es.title === "es") {
          h1.textContent = mpp.title;
          h1.setAttribute("lang", "es");
          spanish.append(h("p", { class: "muted", lang: "en" }, overview.title));
        }
        if (es.what_they_do === "es" && mpp.what_they_do) spanish.append(h("p", { class: "lead", lang: "es" }, mpp.what_they_do));
        spanish.append(h("p", { class: "muted" }, es.title === "es" || es.what_they_do === "es" ? t("spanish_note") : t("no_spanish")));
      }, () => {}));
    }

    const blocks = [];
    const add = (id, title, available, load, render) => {
      if (!available) return;
      const s = section(id, title);
      blocks.push(s.el);
      jobs.push(fill(s, gen, load(), render));
    };
    add("tasks", t("tasks"), summary.has("tasks"), () => api(`/online/occupations/${code}/summary/tasks`, { end: 10 }),
      (d) => h("ul", EN(), d.task.map((x) => h("li", {}, x.title))));
    const grid = h("div", { class: "grid" });
    for (const [name, label] of [["skills", t("skills")], ["knowledge", t("knowledge")], ["abilities", t("abilities")]]) {
      if (!details.has(name)) continue;
      const s = section(name, label);
      grid.append(s.el);
      jobs.push(fill(s, gen, api(`/online/occupations/${code}/details/${name}`, { end: 10 }),
        (d) => bars(d.element.map((e) => ({ name: e.name, value: e.importance })), t("importance"), 100)));
    }
    blocks.push(grid);
    add("technology", t("technology"), summary.has("technology_skills"),
      () => api(`/online/occupations/${code}/summary/technology_skills`, { end: 10 }),
      (d) => h("ul", {}, d.category.map((c) => h("li", {}, h("strong", EN(), c.title), ": ",
        c.example.map((x, i) => [i ? ", " : "", h("span", EN(), x.title),
          x.hot_technology ? [" ", h("span", { class: "tag hot" }, t("hot"))] : null,
          x.in_demand ? [" ", h("span", { class: "tag hot" }, t("in_demand"))] : null])))));
    const prep = section("education", `${t("education")} · ${t("job_zone")}`);
    if (summary.has("education") || summary.has("job_zone")) {
      blocks.push(prep.el);
      const edu = summary.has("education") ? api(`/online/occupations/${code}/summary/education`) : Promise.resolve(null);
      const zone = summary.has("job_zone") ? api(`/online/occupations/${code}/summary/job_zone`) : Promise.resolve(null);
      jobs.push(fill(prep, gen, Promise.all([edu, zone]), ([e, z]) => [
        e ? bars(e.response.map((r) => ({ name: r.title, value: r.percentage_of_respondents })), `% ${t("respondents")}`, 100) : null,
        z ? h("div", { class: "panel", ...EN() }, h("h3", {}, z.title), h("p", {}, z.education), h("p", {}, z.job_training)) : null,
      ]));
    }
    add("related", t("related"), summary.has("related_occupations"),
      () => api(`/online/occupations/${code}/summary/related_occupations`), (d) => careerList(d.occupation));
    const wages = section("wages", t("wages"));
    blocks.push(wages.el);
    jobs.push(wagesSection(wages, code, gen));
    main.append(...blocks);
    await Promise.all(jobs);
    apiLinks(gen);
  }

  const PCT = [["Pct10", "p10"], ["Pct25", "p25"], ["Median", "median"], ["Pct75", "p75"], ["Pct90", "p90"]];
  const money = (v, hourly) => {
    const n = Number(v);
    if (!v || Number.isNaN(n)) return "—";
    return n.toLocaleString(lang === "es" ? "es-US" : "en-US", { style: "currency", currency: "USD", maximumFractionDigits: hourly ? 2 : 0 });
  };
  const cos = (code, location) => api(`/v1/occupation/ui/${code}/${location}`, { wages: "true", enableMetaData: "false" });
  const wagesOf = (detail, list, type) => ((detail.Wages || {})[list] || []).find((w) => w.RateType === type);

  function wageTable(national, state, stateName) {
    const rows = [];
    for (const [type, caption] of [["Annual", t("annual")], ["Hourly", t("hourly")]]) {
      const n = wagesOf(national, "NationalWagesList", type);
      const s = state ? wagesOf(state, "StateWagesList", type) : null;
      if (!n && !s) continue;
      rows.push(h("div", { class: "scroll" }, h("table", {},
        h("caption", {}, caption),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("percentile")), h("th", { scope: "col", class: "num" }, t("national")),
          state ? h("th", { scope: "col", class: "num" }, stateName) : null)),
        h("tbody", {}, PCT.map(([k, label]) => h("tr", {}, h("th", { scope: "row" }, t(label)),
          h("td", { class: "num" }, money(n && n[k], type === "Hourly")),
          state ? h("td", { class: "num", "data-state-wage": k }, money(s && s[k], type === "Hourly")) : null))))));
    }
    return rows;
  }

  function wageChart(national, state, stateName) {
    const n = wagesOf(national, "NationalWagesList", "Annual");
    const s = state ? wagesOf(state, "StateWagesList", "Annual") : null;
    const series = [[t("national"), n], [stateName, s]].filter(([, w]) => w && w.Median);
    if (!series.length) return null;
    const max = Math.max(...series.flatMap(([, w]) => PCT.map(([k]) => Number(w[k]) || 0)));
    return h("div", { class: "wage-chart", "aria-hidden": "true" }, h("h3", {}, `${t("annual")}: ${t("median")}`),
      h("ul", { class: "bars" }, series.map(([name, w]) => h("li", {}, h("span", {}, name),
        h("span", { class: "meter" }, h("span", { "data-w": (100 * Number(w.Median) / max).toFixed(1) })),
        h("span", { class: "num" }, `${Math.round(Number(w.Median) / 1000)}k`)))));
  }

  async function wagesSection(target, code, gen) {
    let national;
    try {
      national = (await cos(code, "US")).OccupationDetail[0];
    } catch (err) {
      if (current(gen)) target.body.replaceChildren(err.status === 404 || err.status === 400 ? h("p", {}, t("no_wages")) : errorBox(err));
      return;
    }
    if (!current(gen)) return;
    const selectId = nextId("state");
    const select = h("select", { id: selectId, name: "state" }, h("option", { value: "" }, "—"),
      STATES.map(([abbr, name]) => h("option", { value: abbr }, name)));
    const out = h("div", { "aria-live": "polite" });
    const year = (national.Wages || {}).WageYear;
    const draw = (state, name) => {
      const tables = wageTable(national, state, name);
      const noState = state && !wagesOf(state, "StateWagesList", "Annual") && !wagesOf(state, "StateWagesList", "Hourly");
      out.replaceChildren(...[...(tables.length ? tables : [h("p", {}, t("no_wages"))]),
        noState ? h("p", { class: "muted", "data-no-state": "" }, t("no_state_wages")) : null,
        wageChart(national, state, name), year ? h("p", { class: "muted" }, t("wage_year", year)) : null].filter(Boolean));
      sizeBars(out);
    };
    select.addEventListener("change", () => {
      const abbr = select.value;
      if (!abbr) { draw(null, ""); return; }
      const name = select.options[select.selectedIndex].textContent;
      out.setAttribute("aria-busy", "true");
      cos(code, abbr).then((d) => {
        if (!current(gen) || select.value !== abbr) return;
        draw(d.OccupationDetail[0], name);
        out.removeAttribute("aria-busy");
        apiLinks(gen);
      }, (err) => { if (current(gen)) { out.replaceChildren(errorBox(err)); out.removeAttribute("aria-busy"); } });
    });
    target.body.replaceChildren(h("div", { class: "row" }, h("div", {}, h("label", { for: selectId }, t("choose_state")), select)), out);
    draw(null, "");
  }

  // ---- Interest Profiler -------------------------------------------------------------------------------
  const ANSWERS = /^[1-5]{60}$/;
  const profiler = { questions: null, options: null, answers: [], pageSize: 12, index: 0 };

  async function profilerPage(params, gen) {
    const given = params.get("answers") || "";
    page(t("profiler"));
    if (ANSWERS.test(given)) return profilerResults(given, params.get("zone") || "", gen);
    if (!profiler.questions) {
      const loading = h("p", { class: "loading" }, t("loading"));
      main.append(loading);
      try {
        const data = await api("/mnm/interestprofiler/questions", { end: 60 });
        profiler.questions = data.question;
        profiler.options = data.answer_option;
        profiler.answers = new Array(data.question.length).fill(0);
      } catch (err) {
        if (current(gen)) loading.replaceWith(errorBox(err));
        return;
      }
      loading.remove();
    }
    if (!current(gen)) return;
    drawQuestions(gen, false);
  }

  function drawQuestions(gen, focus) {
    const total = profiler.questions.length;
    const size = profiler.pageSize;
    const start = Math.floor(profiler.index / size) * size;
    const slice = profiler.questions.slice(start, start + size);
    const done = profiler.answers.filter(Boolean).length;
    const layoutName = nextId("layout");
    const layout = h("fieldset", { class: "choices-row" }, h("legend", {}, t("layout")),
      h("div", { class: "choices" }, [[12, t("per_page")], [1, t("one_at_a_time")]].map(([n, label]) =>
        h("label", {}, h("input", { type: "radio", name: layoutName, value: n, checked: size === n,
          onchange: () => { profiler.pageSize = n; drawQuestions(gen, false); } }), h("span", {}, label)))));
    const progressId = nextId("progress");
    const progress = h("div", {}, h("label", { for: progressId }, t("answered", done, total)),
      h("progress", { id: progressId, max: total, value: done }));
    const message = h("p", { class: "error", role: "alert", hidden: true });
    const items = slice.map((q) => {
      const legendId = nextId("qlegend");
      const name = `q${q.index}`;
      return h("fieldset", { "data-question": q.index, "aria-labelledby": legendId },
        h("legend", { id: legendId }, h("span", { class: "muted" }, `${size === 1 ? t("question", q.index, total) : q.index + "."} `),
          h("span", EN(), q.text)),
        h("div", { class: "choices" }, profiler.options.map((o) => h("label", {},
          h("input", { type: "radio", name, value: o.value, checked: profiler.answers[q.index - 1] === o.value,
            onchange: () => {
              profiler.answers[q.index - 1] = o.value;
              const n = profiler.answers.filter(Boolean).length;
              progress.querySelector("progress").value = n;
              progress.querySelector("label").textContent = t("answered", n, total);
            } }),
          h("span", EN(), o.name)))));
    });
    const last = start + size >= total;
    const back = h("button", { type: "button", class: "secondary", disabled: start === 0,
      onclick: () => { profiler.index = Math.max(0, start - size); drawQuestions(gen, true); } }, t("back"));
    const next = h("button", { type: "submit", class: "primary", "data-next": "" }, last ? t("see_results") : t("next"));
    const form = h("form", { onsubmit: (e) => {
      e.preventDefault();
      const missing = slice.find((q) => !profiler.answers[q.index - 1]);
      if (missing) {
        message.textContent = t("unanswered");
        message.hidden = false;
        form.querySelector(`[data-question="${missing.index}"] input`).focus();
        return;
      }
      if (last) {
        const answers = profiler.answers.join("");
        location.hash = `#/profiler?answers=${answers}`;
        return;
      }
      profiler.index = start + size;
      drawQuestions(gen, true);
    } }, items, message, h("div", { class: "row" }, back, next));
    const intro = h("p", {}, t("profiler_intro"));
    main.replaceChildren(main.querySelector("h1"), intro, layout, progress, form);
    if (focus) {
      const first = form.querySelector("legend");
      if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
    }
    announce(t("answered", done, total));
  }

  async function profilerResults(answers, zone, gen) {
    const s1 = section("interests", t("your_interests"));
    const s2 = section("careers", t("careers_for_you"));
    const restart = h("button", { type: "button", class: "secondary", onclick: () => {
      profiler.answers = profiler.questions ? new Array(profiler.questions.length).fill(0) : [];
      profiler.index = 0;
      location.hash = "#/profiler";
    } }, t("start_over"));
    main.append(s1.el, s2.el, h("p", {}, restart));
    const results = fill(s1, gen, api("/mnm/interestprofiler/results", { answers }), (d) => [
      h("p", { class: "muted" }, t("riasec_caption")),
      h("ul", { class: "bars riasec", "data-riasec": "" }, d.result.map((r) => h("li", { "data-area": r.code },
        h("span", EN(), r.title),
        h("span", { class: "meter", role: "img", "aria-label": `${r.title} ${t("score")} ${r.score} / 40` },
          h("span", { "data-w": (100 * r.score / 40).toFixed(1) })),
        h("span", { class: "num", "aria-hidden": "true" }, r.score)))),
    ]);
    let zones = [];
    try { zones = (await api("/mnm/interestprofiler/job_zones")).job_zone || []; } catch (e) { zones = []; }
    if (!current(gen)) return;
    const selectId = nextId("zone");
    const select = h("select", { id: selectId, name: "zone" }, h("option", { value: "" }, t("all_zones")),
      zones.map((z) => h("option", { value: z.value, selected: String(z.value) === zone, ...EN() }, z.title)));
    const list = h("div", { "aria-live": "polite" });
    const controls = h("div", { class: "row" }, h("div", {}, h("label", { for: selectId }, t("zone_label")), select));
    s2.body.replaceChildren(controls, list);
    const load = (start) => api("/mnm/interestprofiler/careers", { answers, zone: select.value, start, end: start + 19 });
    const show = () => {
      const z = select.value;
      history.replaceState(null, "", `#/profiler?answers=${answers}${z ? `&zone=${z}` : ""}`);
      list.setAttribute("aria-busy", "true");
      return load(1).then((d) => {
        if (!current(gen) || select.value !== z) return;
        const items = [...d.career];
        const ul = careerList(items, (c) => h("span", { class: "tag fit" }, `${c.fit} ${t("fit")}`));
        const more = h("button", { type: "button", class: "secondary", hidden: d.end >= d.total, onclick: () => {
          load(items.length + 1).then((n) => {
            items.push(...n.career);
            const next = careerList(n.career, (c) => h("span", { class: "tag fit" }, `${c.fit} ${t("fit")}`));
            const first = next.firstChild;
            ul.append(...next.childNodes);
            if (first) first.querySelector("a").focus();
            more.hidden = items.length >= n.total;
            apiLinks(gen);
          }, (err) => list.append(errorBox(err)));
        } }, t("more"));
        list.replaceChildren(h("p", { class: "muted", "data-count": d.total }, t("all_careers_total", d.total)), ul, more);
        list.removeAttribute("aria-busy");
        announce(t("all_careers_total", d.total));
        apiLinks(gen);
      }, (err) => { if (current(gen)) list.replaceChildren(errorBox(err)); });
    };
    select.addEventListener("change", show);
    await Promise.all([results, show()]);
    apiLinks(gen);
  }

  // ---- veterans -----------------------------------------------------------------------------------------
  function veteransPage(params, gen) {
    const inputId = nextId("mil");
    const input = h("input", { id: inputId, type: "text", name: "keyword", autocomplete: "off", value: params.get("q") || "" });
    const results = h("div", { "aria-live": "polite" });
    const form = h("form", { role: "search", onsubmit: (e) => { e.preventDefault(); run(); } },
      h("label", { for: inputId }, t("vet_label")),
      h("div", { class: "row" }, input, h("button", { type: "submit", class: "primary" }, t("find"))));
    page(t("vet_title"), form, results);
    function run() {
      const keyword = input.value.trim();
      if (!keyword) return Promise.resolve();
      history.replaceState(null, "", `#/veterans?q=${encodeURIComponent(keyword)}`);
      used = [];
      return api("/veterans/military", { keyword, end: 20 }).then((d) => {
        if (!current(gen)) return;
        const items = d.career || [];
        results.replaceChildren(h("p", { class: "muted", "data-count": d.total }, items.length ? t("results", d.total) : t("none")),
          careerList(items, (c) => (c.military && c.military.length ? h("details", {}, h("summary", {}, `${t("matches")} (${c.military.length})`),
            h("ul", EN(), c.military.map((m) => h("li", {}, `${m.code} · ${m.title}`)))) : null)));
        announce(items.length ? t("results", d.total) : t("none"));
        apiLinks(gen);
      }, (err) => { if (current(gen)) results.replaceChildren(errorBox(err)); });
    }
    return input.value.trim() ? run() : Promise.resolve();
  }

  // ---- bulk coding ---------------------------------------------------------------------------------------
  /** POST a JSON body to the proxy (only the coding route answers POST). */
  async function postApi(path, body) {
    const response = await fetch(`api${path}`, {
      method: "POST", headers: { Accept: "application/json", "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) throw new ApiError(response.status, (data && data.error) || response.statusText, false);
    return data;
  }

  /** Rows of a CSV text (RFC 4180: quoted cells, doubled quotes, CRLF or LF); blank lines dropped. */
  function parseCsv(text) {
    const rows = [];
    let row = [], cell = "", quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false; } else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(cell); rows.push(row); row = []; cell = "";
      } else cell += c;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows.filter((r) => r.some((c) => c.trim() !== ""));
  }
  const csvCell = (v) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const percent = (p) => `${Math.round(100 * p)}%`;
  const BATCH = 1000; // titles per request: the route's maximum (http/coding.py MAX_TITLES)

  function codePage(gen) {
    const fileId = nextId("file"), colId = nextId("col"), indId = nextId("ind");
    const file = h("input", { id: fileId, type: "file", accept: ".csv,text/csv" });
    const column = h("select", { id: colId, disabled: true });
    const industry = h("select", { id: indId, disabled: true });
    const run = h("button", { type: "submit", class: "primary", disabled: true }, t("code_run"));
    const results = h("div", { id: "code-results", "aria-live": "polite" });
    let header = [], body = [];
    file.addEventListener("change", async () => {
      const f = file.files[0];
      if (!f) return;
      const rows = parseCsv((await f.text()).replace(/^\uFEFF/, ""));
      header = rows[0] || [];
      body = rows.slice(1);
      const options = () => header.map((name, i) => h("option", { value: String(i) }, name));
      column.replaceChildren(...options());
      const title = header.findIndex((n) => /title/i.test(n));
      if (title >= 0) column.value = String(title);
      industry.replaceChildren(h("option", { value: "" }, t("code_no_industry")), ...options());
      const naics = header.findIndex((n) => /naics|industry/i.test(n));
      industry.value = naics >= 0 ? String(naics) : "";
      column.disabled = industry.disabled = run.disabled = !body.length;
      results.replaceChildren(h("p", { class: "muted" }, body.length ? t("code_rows", body.length) : t("code_empty")));
    });
    const form = h("form", { class: "code-form", onsubmit: (e) => { e.preventDefault(); code(); } },
      h("label", { for: fileId }, t("code_file")), file,
      h("label", { for: colId }, t("code_column")), column,
      h("label", { for: indId }, t("code_industry")), industry,
      h("p", {}, run));
    page(t("code_title"), h("p", { class: "lead" }, t("code_intro")), form, results);

    async function code() {
      const ci = Number(column.value), ii = industry.value === "" ? -1 : Number(industry.value);
      const items = body.map((r) => {
        const item = { title: (r[ci] || "").slice(0, 500) };
        const naics = ii >= 0 ? (r[ii] || "").trim() : "";
        if (/^\d{2,6}$/.test(naics)) item.industry = naics;
        return item;
      });
      run.disabled = true;
      const answers = [];
      try {
        for (let i = 0; i < items.length; i += BATCH) {
          results.replaceChildren(h("p", { class: "muted" }, t("code_progress", answers.length, items.length)));
          answers.push(...await postApi("/onetlocal/code", items.slice(i, i + BATCH)));
        }
      } catch (err) {
        if (current(gen)) results.replaceChildren(errorBox(err));
        run.disabled = false;
        return;
      }
      run.disabled = false;
      if (current(gen)) show(answers);
    }

    function show(answers) {
      const chosen = answers.map((a) => a.code || "");
      const choices = answers.map((a) => (a.code ? [{ code: a.code, title: a.title, confidence: a.confidence }, ...a.alternatives] : []));
      const rows = answers.map((a, i) => {
        const select = h("select", { "aria-label": t("code_for", a.input), "data-row": String(i) },
          choices[i].map((c) => h("option", { value: c.code }, `${c.code} ${c.title} (${percent(c.confidence)})`)),
          h("option", { value: "" }, t("code_none")));
        select.value = chosen[i];
        const tr = h("tr", { class: a.review ? "review" : null, "data-review": a.review ? "1" : "0" },
          h("td", { class: "num" }, String(i + 1)), h("td", {}, a.input), h("td", {}, select),
          h("td", { class: "num" }, a.code ? percent(a.confidence) : ""), h("td", {}, a.review ? t("code_check") : ""));
        select.addEventListener("change", () => {
          chosen[i] = select.value;
          tr.classList.toggle("corrected", chosen[i] !== (a.code || ""));
        });
        return tr;
      });
      const review = answers.filter((a) => a.review).length;
      const download = h("button", { type: "button", class: "secondary", onclick: () => save(answers, choices, chosen) }, t("code_download"));
      results.replaceChildren(h("p", { "data-count": String(answers.length) }, t("code_done", answers.length, review)), download,
        h("div", { class: "scroll" }, h("table", { class: "coded" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "num" }, "#"), ...["code_input", "code_code", "code_conf", "code_review"].map((k) => h("th", { scope: "col" }, t(k))))),
          h("tbody", {}, rows))));
      announce(t("code_done", answers.length, review));
    }

    function save(answers, choices, chosen) {
      const out = [[...header, "onet_code", "onet_title", "confidence", "review", "corrected"]];
      body.forEach((r, i) => {
        const pick = choices[i].find((c) => c.code === chosen[i]);
        const corrected = chosen[i] !== (answers[i].code || "");
        out.push([...header.map((_, j) => r[j] || ""), chosen[i], pick ? pick.title : "",
          corrected ? "" : answers[i].confidence, answers[i].review, corrected]);
      });
      const blob = new Blob([`${out.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`], { type: "text/csv" });
      const link = h("a", { href: URL.createObjectURL(blob), download: "coded.csv" });
      document.body.append(link);
      link.click();
      link.remove();
    }
    return Promise.resolve();
  }

  // ---- start ---------------------------------------------------------------------------------------------
  langButton.addEventListener("click", () => {
    lang = lang === "es" ? "en" : "es";
    try { localStorage.setItem("onetlocal-ui-lang", lang); } catch (e) { /* storage off */ }
    translateChrome();
    route();
  });
  window.addEventListener("hashchange", route);
  translateChrome();
  window.onetlocalReady = route();
})();
