//! Addresses of pages, built in one place so every link agrees with the routes.
//!
//! An operation's page is named by its operationId when it has one
//! (`/apis/{api}/versions/{version}/operations/getForce`), else by its method and path
//! (`…/operations/get/forces/%7Bid%7D`): both resolve (see `reference::find_operation`).

/// Percent-encodes one path segment (everything but unreserved characters).
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn query_value(s: &str) -> String {
    crate::domain::encode_query_value(s)
}

pub fn api(api: &str) -> String {
    format!("/apis/{}", segment(api))
}

pub fn version(api: &str, version: &str) -> String {
    format!("/apis/{}/versions/{}", segment(api), segment(version))
}

pub fn operation(
    api: &str,
    version: &str,
    method: &str,
    path: &str,
    operation_id: Option<&str>,
) -> String {
    let base = format!("{}/operations/", self::version(api, version));
    match operation_id.filter(|id| !id.is_empty()) {
        Some(id) => base + &segment(id),
        None => {
            let mut out = base + &segment(&method.to_ascii_lowercase());
            for part in path.split('/').skip(1) {
                out.push('/');
                out.push_str(&segment(part));
            }
            out
        }
    }
}

pub fn schema(api: &str, version: &str, name: &str) -> String {
    format!("{}/schemas/{}", self::version(api, version), segment(name))
}

pub fn compare(api: &str, from: &str, to: &str) -> String {
    format!(
        "{}/compare?from={}&to={}",
        self::api(api),
        query_value(from),
        query_value(to)
    )
}

pub fn organisation(org: &str) -> String {
    format!("/organisations/{}", segment(org))
}

pub fn system(system: &str) -> String {
    format!("/systems/{}", segment(system))
}

pub fn original(api: &str, version: &str, path: Option<&str>) -> String {
    let base = format!(
        "/api/v1/apis/{}/versions/{}/original",
        segment(api),
        segment(version)
    );
    match path {
        Some(p) => format!("{base}?path={}", query_value(p)),
        None => base,
    }
}

pub fn tenders() -> String {
    "/tenders".to_owned()
}

pub fn tender(tender: &str) -> String {
    format!("/tenders/{}", segment(tender))
}

pub fn tender_comparison(tender: &str) -> String {
    format!("{}/comparison", self::tender(tender))
}

pub fn bid(tender: &str, supplier: &str) -> String {
    format!("{}/bids/{}", self::tender(tender), segment(supplier))
}

/// A tender's document from the JSON API: `markdown`, `docx`, `csv`, `xlsx` or `ocds`.
pub fn tender_export(tender: &str, format: &str) -> String {
    format!(
        "/api/v1/tenders/{}/export?format={}",
        segment(tender),
        query_value(format)
    )
}

/// The original text (YAML) of one version of a tender's pack, from the JSON API.
pub fn tender_pack_original(tender: &str, version: &str) -> String {
    format!(
        "/api/v1/tenders/{}/packs/{}/original",
        segment(tender),
        segment(version)
    )
}

/// The comparison of a tender's bids from the JSON API: `markdown`, `csv` or `xlsx`.
pub fn comparison_download(tender: &str, format: &str) -> String {
    format!(
        "/api/v1/tenders/{}/comparison?format={}",
        segment(tender),
        query_value(format)
    )
}

/// A bid's evaluation report from the JSON API: `markdown` or `csv`.
pub fn bid_report(tender: &str, supplier: &str, format: &str) -> String {
    format!(
        "/api/v1/tenders/{}/bids/{}/report?format={}",
        segment(tender),
        segment(supplier),
        query_value(format)
    )
}

/// One API description of a bid, as the supplier sent it, from the JSON API.
pub fn bid_description(tender: &str, supplier: &str, name: &str) -> String {
    format!(
        "/api/v1/tenders/{}/bids/{}/descriptions/{}",
        segment(tender),
        segment(supplier),
        segment(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_named_by_id_else_by_method_and_path() {
        assert_eq!(
            operation(
                "stop-search",
                "1.0",
                "GET",
                "/forces/{id}",
                Some("getForce")
            ),
            "/apis/stop-search/versions/1.0/operations/getForce"
        );
        assert_eq!(
            operation("stop-search", "1.0", "GET", "/forces/{id}", None),
            "/apis/stop-search/versions/1.0/operations/get/forces/%7Bid%7D"
        );
        assert_eq!(
            schema("a", "2.0 beta", "Force/Area"),
            "/apis/a/versions/2.0%20beta/schemas/Force%2FArea"
        );
    }
}
