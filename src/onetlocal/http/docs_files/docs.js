"use strict";
// /docs: Swagger UI on this server's OpenAPI document. The page names the document in data-spec, relative to
// itself (nothing from the request is written into the page); the Content-Security-Policy allows no inline script.
(function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: new URL(node.getAttribute("data-spec"), document.baseURI).href,
    domNode: node,
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
