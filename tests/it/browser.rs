//! The web catalogue in a real browser: Debian's Chromium driven through chromedriver (WebDriver,
//! with fantoccini) over the real app listening on a local port. A visitor searches, filters,
//! opens an API; every page type passes axe-core's WCAG 2.2 A/AA rules and can be used with the
//! keyboard alone, with focus visible.
//!
//! Needs `chromium` and `chromium-driver` (Debian packages) and axe-core fetched by
//! `scripts/fetch-axe.sh`; without them the test says SKIPPED, or fails under `PAC_REQUIRE_ALL`.
//! One browser for the whole scenario: starting Chromium is the slow part.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::CUSTODY_V1;
use crate::catalogue::{create_api, create_org};
use crate::support::*;

const TEST: &str = "browser::the_catalogue_works_in_a_real_browser";

/// What the browser tests need from the machine, or why they cannot run.
struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
    axe: String,
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

fn tools() -> Result<Tools, String> {
    let chromium = std::env::var_os("PAC_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]))
        .ok_or("Chromium is not installed (apt-get install chromium, or set PAC_CHROMIUM)")?;
    let chromedriver = std::env::var_os("PAC_CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| find(&["/usr/bin/chromedriver"]))
        .ok_or("chromedriver is not installed (apt-get install chromium-driver, or set PAC_CHROMEDRIVER)")?;
    let axe_path = std::env::var_os("PAC_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| pac_testkit::repository().join("target/test-tools/axe.min.js"));
    let axe = std::fs::read_to_string(&axe_path).map_err(|e| {
        format!(
            "axe-core is missing at {} ({e}): run scripts/fetch-axe.sh",
            axe_path.display()
        )
    })?;
    Ok(Tools {
        chromium,
        chromedriver,
        axe,
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_driver(chromedriver: &Path) -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen on port {port} within 20 s"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    (driver, port)
}

async fn open_browser(tools: &Tools, driver_port: u16) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": tools.chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-GB"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a Chromium session through chromedriver")
}

/// The real app, listening on a local port, over the test's store.
fn serve(t: &TestApp) -> String {
    let state = t.state.clone();
    let server = actix_web::HttpServer::new(move || pac::create_app(state.clone()))
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    format!("http://{addr}")
}

/// A page's axe-core violations of WCAG 2.0-2.2 A and AA, one line each.
async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(axe, vec![]).await.expect("inject axe-core");
    let found = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
                 .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))))
                 .catch(e => done(['axe failed: ' + e]));"#,
            vec![],
        )
        .await
        .expect("run axe-core");
    serde_json::from_value(found).expect("violations as strings")
}

/// Presses Tab through the whole page and checks that every visible control is reached and shows
/// where the focus is. Returns the problems found.
async fn keyboard_problems(c: &Client) -> Vec<String> {
    // Each control gets a mark, so the focus order can be compared with the controls on the page.
    let controls: Vec<String> = serde_json::from_value(
        c.execute(
            r#"const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
               const out = [];
               document.querySelectorAll(sel).forEach((el, i) => {
                 if (el.disabled || el.getClientRects().length === 0) return;
                 const s = getComputedStyle(el);
                 if (s.visibility === 'hidden') return;
                 el.setAttribute('data-kb', String(i));
                 out.push(String(i));
               });
               document.activeElement && document.activeElement.blur();
               window.scrollTo(0, 0);
               return out;"#,
            vec![],
        )
        .await
        .expect("list controls"),
    )
    .expect("control marks");
    let mut reached = std::collections::HashSet::new();
    let mut problems = Vec::new();
    // The skip link is hidden until focused, so it is not among the listed controls: allow for it.
    for _ in 0..controls.len() + 2 {
        let tab = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: '\u{e004}' })
            .then(KeyAction::Up { value: '\u{e004}' });
        c.perform_actions(tab).await.expect("press Tab");
        let focused = c
            .execute(
                r#"const el = document.activeElement;
                   if (!el || el === document.body) return null;
                   const s = getComputedStyle(el);
                   const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                     || (s.boxShadow && s.boxShadow !== 'none')
                     || s.backgroundColor === 'rgb(255, 221, 0)';
                   return { mark: el.getAttribute('data-kb'), visible: visible,
                            what: el.tagName.toLowerCase() + ' ' + (el.textContent || el.getAttribute('name') || '').trim().slice(0, 40) };"#,
                vec![],
            )
            .await
            .expect("read the focus");
        if focused.is_null() {
            continue;
        }
        if focused["visible"] != json!(true) {
            problems.push(format!("focus is not visible on {}", focused["what"]));
        }
        if let Some(mark) = focused["mark"].as_str() {
            reached.insert(mark.to_owned());
        }
    }
    for mark in controls.iter().filter(|m| !reached.contains(*m)) {
        let what = c
            .execute(
                "const el = document.querySelector('[data-kb=\"' + arguments[0] + '\"]'); return el.outerHTML.slice(0, 120);",
                vec![json!(mark)],
            )
            .await
            .unwrap_or(Value::Null);
        problems.push(format!("Tab never reaches {what}"));
    }
    problems
}

/// Opens `path`, checks its status through its title, runs axe and the keyboard walk.
async fn check_page(c: &Client, base: &str, path: &str, axe: &str, problems: &mut Vec<String>) {
    c.goto(&format!("{base}{path}")).await.expect("open page");
    for v in axe_violations(c, axe).await {
        problems.push(format!("{path}: axe: {v}"));
    }
    for p in keyboard_problems(c).await {
        problems.push(format!("{path}: keyboard: {p}"));
    }
}

/// Clicks what leads to another page and waits until the browser is there.
async fn follow(c: &Client, locator: Locator<'_>) {
    let what = format!("{locator:?}");
    let before = c.current_url().await.expect("url");
    c.find(locator)
        .await
        .unwrap_or_else(|e| panic!("nothing to click: {e}"))
        .click()
        .await
        .expect("click");
    let started = Instant::now();
    while c.current_url().await.expect("url") == before {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the click on {what} led nowhere from {before}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn current_path(c: &Client) -> String {
    let url = c.current_url().await.expect("url");
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
        .text()
        .await
        .expect("text")
}

/// A pack with sections, a standard requirement and an evaluator's clause (no contract to set up).
const PACK: &str = r#"id: custody-2027
version: 1.0.0
title: "Custody system: API requirements"
buyer: Metropolitan Police
sections:
  - id: quality
    title: Quality of the API descriptions
  - id: service
    title: Service commitments
requirements:
  - id: API-1
    level: MUST
    section: quality
    title: Police API standard kitemark
    text: Every API description of the solution meets the minimum police API standard.
    standard: {kitemark: true}
  - id: API-2
    level: SHOULD
    weight: 20
    section: quality
    title: Rate limits
    text: Every operation states what happens when a caller sends too many requests.
    standard: {rules: [pas-operation-429]}
  - id: API-3
    level: SHOULD
    weight: 10
    section: service
    title: Sandbox
    text: The supplier offers a sandbox with test data.
    manual: {scale: 0-4}
"#;

/// Met's published tender `custody-2027`, with Acme's bid evaluated and scored.
async fn tender_with_a_bid<S, B>(t: &TestApp, app: &S, met: &str)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    use crate::tenders::{body, json_req};
    use actix_web::test::TestRequest;
    create_org(app, &t.admin(), "acme", "supplier").await;
    let acme = t.token("ann", Some("acme"), &["publisher"]);
    let tender = json!({"slug": "custody-2027", "title": "Custody system", "buyer": "met"});
    for req in [
        json_req(TestRequest::post(), "/api/v1/tenders", met, tender),
        body(
            TestRequest::post(),
            "/api/v1/tenders/custody-2027/packs",
            met,
            PACK,
        ),
        json_req(
            TestRequest::post(),
            "/api/v1/tenders/custody-2027/lifecycle",
            met,
            json!({"lifecycle": "published"}),
        ),
        body(
            TestRequest::put(),
            "/api/v1/tenders/custody-2027/bids/acme/descriptions/custody.yaml",
            &acme,
            CUSTODY_V1,
        ),
        json_req(
            TestRequest::put(),
            "/api/v1/tenders/custody-2027/bids/acme/scores/API-3",
            met,
            json!({"score": 2, "justification": "A sandbox, with little test data."}),
        ),
    ] {
        let r = send(app, req).await;
        assert!(r.status.is_success(), "{}", r.body);
    }
}

#[actix_web::test]
async fn the_catalogue_works_in_a_real_browser() {
    let tools = match tools() {
        Ok(t) => t,
        Err(why) => return pac_testkit::skip(TEST, &why),
    };
    let t = TestApp::new(Backend::Sqlite).unwrap();
    let app = t.service().await;
    let admin = t.admin();
    create_org(&app, &admin, "met", "force").await;
    let met = t.token("alice", Some("met"), &["publisher"]);
    for (slug, visibility) in [("custody", "public"), ("met-secret", "restricted")] {
        assert_eq!(
            create_api(&app, &met, slug, "met", visibility).await.status,
            201
        );
        let r = publish_version(&app, &met, slug, None, CUSTODY_V1).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = publish_version(&app, &met, "custody", None, crate::CUSTODY_V1_1).await;
    assert_eq!(r.status, 201, "{}", r.body);
    tender_with_a_bid(&t, &app, &met).await;
    let base = serve(&t);
    let (_driver, port) = start_driver(&tools.chromedriver).await;
    let c = open_browser(&tools, port).await;

    // A developer types into the search box and presses the button.
    c.goto(&format!("{base}/")).await.unwrap();
    let q = c.find(Locator::Id("q")).await.expect("the search box");
    q.send_keys("custody record").await.unwrap();
    follow(&c, Locator::Css("form[role=search] button[type=submit]")).await;
    assert_eq!(current_path(&c).await, "/search?q=custody+record");
    let results = text_of(&c, "main").await;
    assert!(results.contains("List custody records"), "{results}");
    assert!(
        !results.contains("met-secret"),
        "a restricted API is found by an anonymous visitor"
    );

    // Narrows to operations with the facet link.
    follow(&c, Locator::LinkText("Operations (2)")).await;
    assert_eq!(
        current_path(&c).await,
        "/search?q=custody%20record&kind=operation"
    );
    assert_eq!(
        c.find_all(Locator::Css(".pac-hits > li"))
            .await
            .unwrap()
            .len(),
        2
    );

    // Opens the API from its hit, then one of its operations.
    follow(&c, Locator::Css(".pac-hits a[href^='/apis/custody']")).await;
    c.goto(&format!("{base}/apis/custody")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "API custody");
    follow(
        &c,
        Locator::Css("a[href='/apis/custody/versions/1.1.0/operations/listCustodyRecords']"),
    )
    .await;
    assert_eq!(
        current_path(&c).await,
        "/apis/custody/versions/1.1.0/operations/listCustodyRecords"
    );
    let operation = text_of(&c, "main").await;
    assert!(operation.contains("/custody-records"), "{operation}");
    assert!(
        operation.contains("curl"),
        "an operation page shows a curl example: {operation}"
    );

    // Compares the two versions with the form on the API's page.
    c.goto(&format!("{base}/apis/custody")).await.unwrap();
    follow(
        &c,
        Locator::Css("form.pac-compare-form button[type=submit]"),
    )
    .await;
    assert_eq!(
        current_path(&c).await,
        "/apis/custody/compare?from=1.0.0&to=1.1.0"
    );
    assert_eq!(
        text_of(&c, "h1").await,
        "Changes from version 1.0.0 to 1.1.0"
    );

    // The restricted API is a 404 page for an anonymous visitor.
    c.goto(&format!("{base}/apis/met-secret")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Page not found");

    // Alice signs in with a token from the header's link; the restricted API is hers to see.
    c.goto(&format!("{base}/apis/custody")).await.unwrap();
    follow(&c, Locator::LinkText("Sign in")).await;
    assert!(current_path(&c).await.starts_with("/sign-in"));
    let alice = t.token("alice", Some("met"), &["reader"]);
    c.find(Locator::Id("token"))
        .await
        .expect("the token field")
        .send_keys(&alice)
        .await
        .unwrap();
    follow(
        &c,
        Locator::Css("form[action='/sign-in'] button[type=submit]"),
    )
    .await;
    assert_eq!(
        current_path(&c).await,
        "/apis/custody",
        "back where she was"
    );
    assert!(text_of(&c, "header").await.contains("alice"));
    c.goto(&format!("{base}/apis/met-secret")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "API met-secret");
    c.goto(&format!("{base}/search?q=custody")).await.unwrap();
    assert!(text_of(&c, "main").await.contains("met-secret"));
    let mut problems = Vec::new();
    check_page(&c, &base, "/sign-in", &tools.axe, &mut problems).await;
    check_page(&c, &base, "/apis/met-secret", &tools.axe, &mut problems).await;
    // Alice is of the buying force: the bids, the comparison and a bid's evaluation are hers.
    for path in [
        "/tenders/custody-2027",
        "/tenders/custody-2027/comparison",
        "/tenders/custody-2027/bids/acme",
    ] {
        check_page(&c, &base, path, &tools.axe, &mut problems).await;
    }
    c.goto(&format!("{base}/tenders/custody-2027/comparison"))
        .await
        .unwrap();
    assert_eq!(text_of(&c, "h1").await, "Comparison of bids");
    // A fresh page: the checks leave their marks (and the keyboard's state) on the one they walked.
    c.goto(&format!("{base}/apis/met-secret")).await.unwrap();
    // Signs out with the header's button: the restricted API is hidden again.
    follow(
        &c,
        Locator::Css("form[action='/sign-out'] button[type=submit]"),
    )
    .await;
    c.goto(&format!("{base}/apis/met-secret")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Page not found");

    // Every page type: no WCAG 2.2 A/AA violation, every control reachable by keyboard.
    for path in [
        "/",
        "/search?q=custody",
        "/search?q=nothing-matches-this",
        "/search?q=custody&page=x",
        "/apis/custody",
        "/apis/custody/versions/1.0.0",
        "/apis/custody/versions/1.0.0/operations/getCustodyRecord",
        "/apis/custody/versions/1.0.0/schemas/CustodyRecord",
        "/apis/custody/compare?from=1.0.0&to=1.1.0",
        "/apis/custody/compare?from=9.9.9",
        "/organisations/met",
        "/standard",
        "/tenders",
        "/tenders/custody-2027",
        "/sign-in",
        "/no-such-page",
    ] {
        check_page(&c, &base, path, &tools.axe, &mut problems).await;
    }
    // The checks themselves can fail: an unlabelled field and a control that hides its focus.
    c.goto(&format!("{base}/")).await.unwrap();
    c.execute(
        r#"const i = document.createElement('input'); i.id = 'bad';
           document.querySelector('main').appendChild(i);
           const a = document.createElement('a'); a.href = '#'; a.textContent = 'no focus';
           a.style.outline = 'none'; a.addEventListener('focus', () => { a.style.outline = 'none'; a.style.boxShadow = 'none'; a.style.background = 'none'; });
           a.setAttribute('class', '');
           document.querySelector('main').appendChild(a);"#,
        vec![],
    )
    .await
    .unwrap();
    let axe = axe_violations(&c, &tools.axe).await;
    assert!(
        axe.iter().any(|v| v.starts_with("label")),
        "axe missed an unlabelled field: {axe:?}"
    );
    let keyboard = keyboard_problems(&c).await;
    assert!(
        keyboard
            .iter()
            .any(|p| p.contains("focus is not visible") && p.contains("no focus")),
        "{keyboard:?}"
    );
    c.close().await.unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
