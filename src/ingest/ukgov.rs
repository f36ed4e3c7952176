//! Reader for the UK Government API Catalogue (Central Digital and Data Office): its two CSV files
//! (`catalogue.csv`, `organisation.csv`) and its `api.gov.uk/v1alpha` registry documents.
//!
//! Pure: bytes in, a [`GovCatalogue`] or a [`GovError`] naming the file and line out. It does not
//! touch the store; the importer decides what becomes an organisation or a link-only API entry.
//! Values are kept as the catalogue gives them (dates such as "in service" and URLs without a
//! scheme included), apart from trimming, empty cells becoming `None`, lower-case organisation
//! slugs and the literal `\n` sequences of CSV descriptions becoming newlines.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::Value;

/// The registry format version this reader understands.
const V1ALPHA: &str = "api.gov.uk/v1alpha";

/// An organisation of the catalogue (a row of `organisation.csv`, or an organisation named in a
/// v1alpha document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GovOrganisation {
    pub slug: String,
    pub name: String,
    pub alternate_name: Option<String>,
    pub url: Option<String>,
}

/// An API entry of the catalogue. It links to documentation; it carries no API description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GovApi {
    pub name: String,
    pub description: Option<String>,
    /// The endpoint (base URL) of the API.
    pub url: Option<String>,
    pub documentation_url: Option<String>,
    pub licence: Option<String>,
    pub maintainer: Option<String>,
    pub area_served: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub date_added: Option<String>,
    pub date_updated: Option<String>,
    /// Slug of the providing organisation; always one of [`GovCatalogue::organisations`].
    pub provider: String,
    /// Where the entry came from: `catalogue.csv:LINE` or the registry document's file name.
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GovCatalogue {
    pub organisations: Vec<GovOrganisation>,
    pub apis: Vec<GovApi>,
}

/// Why a catalogue file was rejected. `line` is 1-based, or 0 when the position is unknown.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct GovError {
    /// `ukgov_csv`, `ukgov_json`, `ukgov_missing_column` or `ukgov_unknown_provider`.
    pub code: &'static str,
    pub file: String,
    pub line: u64,
    pub message: String,
}

impl GovError {
    fn new(code: &'static str, file: &str, line: u64, message: impl Into<String>) -> Self {
        Self {
            code,
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// Reads `catalogue.csv` and `organisation.csv` (column names as in their `*.csv-metadata.json`).
///
/// Columns that the metadata marks required must be present, though their cells may be empty
/// except `name` and `provider` (and `id`, `name` of an organisation); other columns may be absent.
///
/// # Errors
/// `ukgov_missing_column` for a header without a required column; `ukgov_csv` for a malformed row,
/// an empty required cell or a repeated organisation id; `ukgov_unknown_provider` for a row whose
/// provider is not an id in `organisation.csv`. Each names the file and the line the row starts on.
pub fn read_csv(
    catalogue_csv: &[u8],
    catalogue_name: &str,
    organisation_csv: &[u8],
    organisation_name: &str,
) -> Result<GovCatalogue, GovError> {
    let organisations = read_organisations(organisation_csv, organisation_name)?;
    let known: HashSet<&str> = organisations.iter().map(|o| o.slug.as_str()).collect();

    let mut table = CsvTable::open(
        catalogue_csv,
        catalogue_name,
        &[
            "url",
            "name",
            "description",
            "documentation",
            "license",
            "maintainer",
            "provider",
            "startDate",
        ],
    )?;
    let mut apis = Vec::new();
    while let Some(row) = table.next_row()? {
        let name = row.required("name")?;
        let provider_cell = row.required("provider")?;
        let provider = provider_cell.to_lowercase();
        if !known.contains(provider.as_str()) {
            return Err(row.error(
                "ukgov_unknown_provider",
                format!(
                    "provider `{provider_cell}` of API `{name}` is not an id in {organisation_name}"
                ),
            ));
        }
        apis.push(GovApi {
            name,
            description: row.get("description").map(|d| unescape_newlines(&d)),
            url: row.get("url"),
            documentation_url: row.get("documentation"),
            licence: row.get("license"),
            maintainer: row.get("maintainer"),
            area_served: row.get("areaServed"),
            start_date: row.get("startDate"),
            end_date: row.get("endDate"),
            date_added: row.get("dateAdded"),
            date_updated: row.get("dateUpdated"),
            provider,
            source: format!("{catalogue_name}:{}", row.line),
        });
    }
    Ok(GovCatalogue {
        organisations,
        apis,
    })
}

fn read_organisations(bytes: &[u8], file: &str) -> Result<Vec<GovOrganisation>, GovError> {
    let mut table = CsvTable::open(bytes, file, &["id", "name", "alternateName"])?;
    let mut organisations = Vec::new();
    let mut seen = HashSet::new();
    while let Some(row) = table.next_row()? {
        // The catalogue's ids are slugs but one is capitalised ("Insolvency-service"); slugs here
        // are lower case, so providers are matched case-insensitively.
        let slug = row.required("id")?.to_lowercase();
        if !seen.insert(slug.clone()) {
            return Err(row.error(
                "ukgov_csv",
                format!("organisation id `{slug}` appears twice"),
            ));
        }
        organisations.push(GovOrganisation {
            slug,
            name: row.required("name")?,
            alternate_name: row.get("alternateName"),
            url: row.get("url"),
        });
    }
    Ok(organisations)
}

/// A CSV file read row by row, its columns found by header name so that their order may change.
struct CsvTable<'a> {
    file: &'a str,
    columns: HashMap<String, usize>,
    reader: csv::Reader<&'a [u8]>,
}

struct CsvRow<'t> {
    file: &'t str,
    line: u64,
    columns: &'t HashMap<String, usize>,
    record: csv::StringRecord,
}

impl<'a> CsvTable<'a> {
    fn open(bytes: &'a [u8], file: &'a str, required: &[&str]) -> Result<Self, GovError> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes);
        let header = reader.headers().map_err(|e| csv_error(file, &e))?;
        let mut columns = HashMap::new();
        for (index, title) in header.iter().enumerate() {
            columns.entry(title.trim().to_owned()).or_insert(index);
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !columns.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            return Err(GovError::new(
                "ukgov_missing_column",
                file,
                1,
                format!("missing column(s) {} in the header", missing.join(", ")),
            ));
        }
        Ok(Self {
            file,
            columns,
            reader,
        })
    }

    fn next_row(&mut self) -> Result<Option<CsvRow<'_>>, GovError> {
        let mut record = csv::StringRecord::new();
        match self.reader.read_record(&mut record) {
            Ok(false) => Ok(None),
            Ok(true) => Ok(Some(CsvRow {
                file: self.file,
                line: record.position().map_or(0, csv::Position::line),
                columns: &self.columns,
                record,
            })),
            Err(e) => Err(csv_error(self.file, &e)),
        }
    }
}

impl CsvRow<'_> {
    /// The trimmed cell, `None` when the column is absent or the cell is blank.
    fn get(&self, column: &str) -> Option<String> {
        let cell = self.record.get(*self.columns.get(column)?)?.trim();
        (!cell.is_empty()).then(|| cell.to_owned())
    }

    fn required(&self, column: &str) -> Result<String, GovError> {
        self.get(column)
            .ok_or_else(|| self.error("ukgov_csv", format!("column `{column}` is empty")))
    }

    fn error(&self, code: &'static str, message: String) -> GovError {
        GovError::new(code, self.file, self.line, message)
    }
}

fn csv_error(file: &str, error: &csv::Error) -> GovError {
    let line = error.position().map_or(0, csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("row has {len} field(s) where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("field {} is not valid UTF-8", err.field() + 1),
        _ => error.to_string(),
    };
    GovError::new("ukgov_csv", file, line, message)
}

/// The catalogue's CSV stores line breaks in descriptions as the two characters `\n` (its own
/// site unescapes them before rendering); real line breaks inside quoted cells are kept too.
fn unescape_newlines(description: &str) -> String {
    description
        .replace("\r\n", "\n")
        .replace("\\n", "\n")
        .trim()
        .to_owned()
}

#[derive(Deserialize)]
struct V1AlphaDocument {
    #[serde(rename = "api-version")]
    api_version: String,
    apis: Vec<V1AlphaEntry>,
}

#[derive(Deserialize)]
struct V1AlphaEntry {
    #[serde(rename = "api-version")]
    api_version: String,
    data: V1AlphaData,
}

#[derive(Deserialize)]
struct V1AlphaData {
    name: String,
    organisation: String,
    description: Option<String>,
    url: Option<String>,
    contact: Option<String>,
    #[serde(rename = "documentation-url")]
    documentation_url: Option<String>,
}

/// Reads one `api.gov.uk/v1alpha` registry document: `{"api-version", "apis": [{"api-version",
/// "data": {...}}]}`. The catalogue's own generator writes the two top-level members as two
/// objects of an array, so that form is read too.
///
/// A v1alpha entry names its organisation rather than giving an id, so the provider slug is
/// made from the name ("HM Revenue & Customs" gives `hm-revenue-customs`, as in organisation.csv).
///
/// # Errors
/// `ukgov_json` for invalid JSON, a missing member (both with their line), another `api-version`,
/// or an empty name or organisation (with the entry's JSON pointer, line 0).
pub fn read_v1alpha(bytes: &[u8], file_name: &str) -> Result<GovCatalogue, GovError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| json_error(file_name, &e))?;
    let document: V1AlphaDocument = match value {
        // Deserialising the bytes again, not the value, keeps line numbers in the errors.
        Value::Object(_) => serde_json::from_slice(bytes).map_err(|e| json_error(file_name, &e))?,
        Value::Array(parts) => {
            let mut merged = serde_json::Map::new();
            for part in parts {
                let Value::Object(members) = part else {
                    return Err(GovError::new(
                        "ukgov_json",
                        file_name,
                        0,
                        "a v1alpha document in array form must hold only objects",
                    ));
                };
                merged.extend(members);
            }
            serde_json::from_value(Value::Object(merged))
                .map_err(|e| GovError::new("ukgov_json", file_name, 0, e.to_string()))?
        }
        _ => {
            return Err(GovError::new(
                "ukgov_json",
                file_name,
                1,
                "a v1alpha document must be a JSON object",
            ));
        }
    };
    if document.api_version != V1ALPHA {
        return Err(GovError::new(
            "ukgov_json",
            file_name,
            0,
            format!(
                "/api-version is `{}`, expected `{V1ALPHA}`",
                document.api_version
            ),
        ));
    }

    let mut catalogue = GovCatalogue::default();
    for (index, entry) in document.apis.into_iter().enumerate() {
        let at = |member: &str, message: String| {
            GovError::new(
                "ukgov_json",
                file_name,
                0,
                format!("/apis/{index}{member} {message}"),
            )
        };
        if entry.api_version != V1ALPHA {
            return Err(at(
                "/api-version",
                format!("is `{}`, expected `{V1ALPHA}`", entry.api_version),
            ));
        }
        let data = entry.data;
        let name = non_empty(&data.name).ok_or_else(|| at("/data/name", "is empty".into()))?;
        let organisation = non_empty(&data.organisation)
            .ok_or_else(|| at("/data/organisation", "is empty".into()))?;
        let provider = slugify(&organisation);
        if provider.is_empty() {
            return Err(at(
                "/data/organisation",
                format!("`{organisation}` has no letters or digits to make a slug from"),
            ));
        }
        if !catalogue.organisations.iter().any(|o| o.slug == provider) {
            catalogue.organisations.push(GovOrganisation {
                slug: provider.clone(),
                name: organisation,
                alternate_name: None,
                url: None,
            });
        }
        catalogue.apis.push(GovApi {
            name,
            description: data.description.as_deref().and_then(non_empty),
            url: data.url.as_deref().and_then(non_empty),
            documentation_url: data.documentation_url.as_deref().and_then(non_empty),
            licence: None,
            maintainer: data.contact.as_deref().and_then(non_empty),
            area_served: None,
            start_date: None,
            end_date: None,
            date_added: None,
            date_updated: None,
            provider,
            source: file_name.to_owned(),
        });
    }
    Ok(catalogue)
}

/// True when `value` looks like a v1alpha registry document (either form), so that an importer
/// can tell one from an `OpenAPI` description without trying to read it as both.
pub fn is_v1alpha(value: &Value) -> bool {
    let declares = |members: &serde_json::Map<String, Value>| {
        members.get("api-version").and_then(Value::as_str) == Some(V1ALPHA)
    };
    match value {
        Value::Object(members) => {
            declares(members) && members.get("apis").is_some_and(Value::is_array)
        }
        Value::Array(parts) => {
            let objects: Vec<_> = parts.iter().filter_map(Value::as_object).collect();
            objects.len() == parts.len()
                && objects.iter().any(|o| declares(o))
                && objects
                    .iter()
                    .any(|o| o.get("apis").is_some_and(Value::is_array))
        }
        _ => false,
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Lower case ASCII letters and digits, every other run of characters one hyphen.
fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(slug.trim_end_matches('-').len());
    slug
}

fn json_error(file: &str, error: &serde_json::Error) -> GovError {
    // serde_json appends the position to its message; it is already in `line`, so keep only the column.
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = match text.strip_suffix(&suffix) {
        Some(head) => format!("{head} (column {})", error.column()),
        None => text,
    };
    GovError::new("ukgov_json", file, error.line() as u64, message)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    const ORGS: &str = "id,name,alternateName,url\n\
        police-uk,UK Police,UKP,https://www.police.uk/\n\
        Insolvency-service,Insolvency Service,IS,\n";

    fn corpus() -> Option<PathBuf> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpora/uk-gov-api-catalogue");
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipped: corpus {} is absent", dir.display());
            None
        }
    }

    #[test]
    fn real_catalogue_csv_has_231_apis_from_34_organisations() {
        let Some(dir) = corpus() else { return };
        let catalogue = std::fs::read(dir.join("catalogue.csv")).unwrap();
        let organisations = std::fs::read(dir.join("organisation.csv")).unwrap();
        let read = read_csv(
            &catalogue,
            "catalogue.csv",
            &organisations,
            "organisation.csv",
        )
        .unwrap();
        assert_eq!(read.apis.len(), 231);
        assert_eq!(read.organisations.len(), 34);

        let notify = &read.apis[0];
        assert_eq!(notify.name, "GOV.UK Notify");
        assert_eq!(notify.source, "catalogue.csv:2");
        assert_eq!(notify.provider, "government-digital-service");
        assert_eq!(
            notify.url.as_deref(),
            Some("https://api.notifications.service.gov.uk/")
        );
        assert_eq!(notify.licence, None);
        assert_eq!(notify.date_added.as_deref(), Some("2020-01-08"));
        let description = notify.description.as_deref().unwrap();
        assert!(description.contains("users.\n\nThe API contains:\n\n- the public-facing"));
        assert!(
            !read
                .apis
                .iter()
                .any(|a| a.description.as_deref().is_some_and(|d| d.contains("\\n")))
        );
        // Sources are the physical lines where rows start, so multi-line rows are skipped over.
        let last = read.apis.last().unwrap();
        assert_eq!(
            (last.name.as_str(), last.source.as_str()),
            ("Contractmap", "catalogue.csv:1781")
        );
        assert!(
            read.organisations
                .iter()
                .any(|o| o.slug == "insolvency-service")
        );
        assert!(read.apis.iter().any(|a| a.provider == "insolvency-service"));
    }

    #[test]
    fn real_v1alpha_documents_parse() {
        let Some(dir) = corpus() else { return };
        for (publisher, apis, organisation) in [
            ("dwp", 38, "department-for-work-and-pensions"),
            ("food-standards-agency", 2, "food-standards-agency"),
            ("nhs-digital", 93, "nhs-digital"),
        ] {
            let bytes =
                std::fs::read(dir.join("data-source").join(publisher).join("apis")).unwrap();
            let value: Value = serde_json::from_slice(&bytes).unwrap();
            assert!(is_v1alpha(&value), "{publisher}");
            let read = read_v1alpha(&bytes, "apis").unwrap();
            assert_eq!(read.apis.len(), apis, "{publisher}");
            assert_eq!(read.organisations.len(), 1, "{publisher}");
            assert_eq!(read.organisations[0].slug, organisation);
            assert!(read.apis.iter().all(|a| a.provider == organisation));
        }
    }

    #[test]
    fn empty_cells_become_none_and_cells_are_trimmed() {
        let catalogue = "url,name,description,documentation,license,maintainer,provider,startDate\n\
            ,  Crime data  ,\" first line\nsecond line \",https://data.police.uk/docs/,,,police-uk,\n";
        let read = read_csv(
            catalogue.as_bytes(),
            "catalogue.csv",
            ORGS.as_bytes(),
            "organisation.csv",
        )
        .unwrap();
        let api = &read.apis[0];
        assert_eq!(api.name, "Crime data");
        assert_eq!(api.description.as_deref(), Some("first line\nsecond line"));
        assert_eq!(api.url, None);
        assert_eq!(api.maintainer, None);
        assert_eq!(api.area_served, None, "an absent optional column is None");
        assert_eq!(
            read.organisations[0].url.as_deref(),
            Some("https://www.police.uk/")
        );
        assert_eq!(read.organisations[1].url, None);
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let catalogue = "url,name,description,documentation,license,maintainer,startDate\n\
            https://x,X,d,https://x/docs,,,\n";
        let error = read_csv(
            catalogue.as_bytes(),
            "catalogue.csv",
            ORGS.as_bytes(),
            "organisation.csv",
        )
        .unwrap_err();
        assert_eq!(error.code, "ukgov_missing_column");
        assert_eq!(error.line, 1);
        assert!(error.message.contains("provider"), "{error}");

        let error = read_csv(
            b"name\n",
            "catalogue.csv",
            b"id,name\nx,X\n",
            "organisation.csv",
        )
        .unwrap_err();
        assert_eq!(
            (error.code, error.file.as_str()),
            ("ukgov_missing_column", "organisation.csv")
        );
        assert!(error.message.contains("alternateName"), "{error}");
    }

    #[test]
    fn an_unknown_provider_names_the_row() {
        let catalogue = "url,name,description,documentation,license,maintainer,provider,startDate\n\
            https://a,A,\"two\nlines\",,,,police-uk,\n\
            https://b,B,,,,,no-such-org,\n";
        let error = read_csv(
            catalogue.as_bytes(),
            "catalogue.csv",
            ORGS.as_bytes(),
            "organisation.csv",
        )
        .unwrap_err();
        assert_eq!(error.code, "ukgov_unknown_provider");
        assert_eq!(
            error.line, 4,
            "the row starts on line 4 because row A spans two lines"
        );
        assert_eq!(
            error.to_string(),
            "catalogue.csv:4: provider `no-such-org` of API `B` is not an id in organisation.csv"
        );
    }

    #[test]
    fn a_malformed_csv_row_is_an_error_with_its_line() {
        let catalogue = "url,name,description,documentation,license,maintainer,provider,startDate\n\
            https://a,A,,,,,police-uk,\n\
            https://b,B,too,few\n";
        let error = read_csv(
            catalogue.as_bytes(),
            "catalogue.csv",
            ORGS.as_bytes(),
            "organisation.csv",
        )
        .unwrap_err();
        assert_eq!((error.code, error.line), ("ukgov_csv", 3));
        assert!(
            error.message.contains("4 field(s) where the header has 8"),
            "{error}"
        );

        let catalogue = "url,name,description,documentation,license,maintainer,provider,startDate\n\
            https://a,,,,,,police-uk,\n";
        let error = read_csv(
            catalogue.as_bytes(),
            "catalogue.csv",
            ORGS.as_bytes(),
            "organisation.csv",
        )
        .unwrap_err();
        assert_eq!((error.code, error.line), ("ukgov_csv", 2));
        assert!(error.message.contains("`name` is empty"), "{error}");
    }

    #[test]
    fn malformed_json_is_an_error_with_its_line() {
        let error = read_v1alpha(
            b"{\n  \"api-version\": \"api.gov.uk/v1alpha\",\n  \"apis\": [,]\n}",
            "apis.json",
        )
        .unwrap_err();
        assert_eq!(
            (error.code, error.file.as_str(), error.line),
            ("ukgov_json", "apis.json", 3)
        );
        assert!(!error.message.contains("at line"), "{error}");

        let missing_name = br#"{"api-version": "api.gov.uk/v1alpha", "apis": [
            {"api-version": "api.gov.uk/v1alpha", "data": {"organisation": "Home Office"}}]}"#;
        let error = read_v1alpha(missing_name, "apis.json").unwrap_err();
        assert_eq!((error.code, error.line), ("ukgov_json", 2));
        assert!(error.message.contains("missing field `name`"), "{error}");

        let wrong_version = br#"{"api-version": "api.gov.uk/v2", "apis": []}"#;
        let error = read_v1alpha(wrong_version, "apis.json").unwrap_err();
        assert!(
            error.message.contains("/api-version is `api.gov.uk/v2`"),
            "{error}"
        );
    }

    #[test]
    fn a_v1alpha_example_reads_in_both_forms() {
        let entries = r#"[
            {"api-version": "api.gov.uk/v1alpha", "data": {
                "name": " Street-level crime ", "description": "Crimes near a point.\n\nMonthly.",
                "url": "https://data.police.uk/api", "contact": "",
                "organisation": "HM Revenue & Customs", "documentation-url": "https://data.police.uk/docs/"}},
            {"api-version": "api.gov.uk/v1alpha", "data": {
                "name": "Forces", "organisation": "HM Revenue & Customs"}}]"#;
        let object = format!(r#"{{"api-version": "api.gov.uk/v1alpha", "apis": {entries}}}"#);
        let array = format!(r#"[{{"api-version": "api.gov.uk/v1alpha"}}, {{"apis": {entries}}}]"#);
        for document in [object, array] {
            assert!(is_v1alpha(&serde_json::from_str(&document).unwrap()));
            let read = read_v1alpha(document.as_bytes(), "police.json").unwrap();
            assert_eq!(read.organisations.len(), 1);
            assert_eq!(read.organisations[0].slug, "hm-revenue-customs");
            assert_eq!(read.organisations[0].name, "HM Revenue & Customs");
            let api = &read.apis[0];
            assert_eq!(api.name, "Street-level crime");
            assert_eq!(
                api.description.as_deref(),
                Some("Crimes near a point.\n\nMonthly.")
            );
            assert_eq!(api.maintainer, None);
            assert_eq!(
                api.documentation_url.as_deref(),
                Some("https://data.police.uk/docs/")
            );
            assert_eq!(
                (api.provider.as_str(), api.source.as_str()),
                ("hm-revenue-customs", "police.json")
            );
            assert_eq!(read.apis[1].url, None);
        }
    }

    #[test]
    fn openapi_documents_are_not_v1alpha() {
        let openapi = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
        assert!(!is_v1alpha(&openapi));
        assert!(!is_v1alpha(
            &serde_json::json!({"api-version": "api.gov.uk/v1alpha"})
        ));
        assert!(!is_v1alpha(&serde_json::json!([1, 2])));
    }

    #[test]
    fn slugs_follow_the_catalogue_ids() {
        assert_eq!(
            slugify("Department for Work and Pensions"),
            "department-for-work-and-pensions"
        );
        assert_eq!(slugify("HM Revenue & Customs"), "hm-revenue-customs");
        assert_eq!(slugify("  NHS Digital! "), "nhs-digital");
        assert_eq!(slugify("&&"), "");
    }
}
