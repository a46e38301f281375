"""O*NET OnLine data by descriptor: the occupations rated on one element (where report elements link)."""

from onetlocal import urls
from onetlocal.http.params import Param
from onetlocal.http.routing import Endpoint
from onetlocal.services import onet_data

_TAG = "onet_data"

ENDPOINTS = [
    Endpoint(
        urls.ONET_DATA,
        onet_data.occupations,
        "Occupations by their rating on one descriptor element (the `related` link of report elements), "
        "highest first: {element, occupation: [{href, code, title, tags, importance|context|extent|"
        "occupational_interest, level?}]}; interests by RIASEC letter, or by a 2–3 letter high-point code "
        "(`RI`: first high point Realistic, second Investigative; items add `high_point_code`); 404 for "
        "work_values on a release without them (O*NET 30.3+)",
        _TAG,
        params=(
            Param("section", "descriptor section", enum=tuple(onet_data.FAMILIES), location="path"),
            Param(
                "element_id",
                "Content Model element id, e.g. 2.A.1.a (interests: R, I, A, S, E or C, or a "
                "high-point code of 2–3 different letters such as RI or RIA)",
                location="path",
            ),
        ),
        list_key="occupation",
    ),
]
