//! Procurement pages: `/tenders` (the tenders the visitor may see), `/tenders/{tender}` (its
//! requirements, the pack's versions and the tender's documents), `/tenders/{tender}/comparison`
//! (the buyer's bids side by side) and `/tenders/{tender}/bids/{supplier}` (one bid's evaluation).
//!
//! A bid is commercially sensitive. Every bid shown here comes from `usecase::tenders`, which gives
//! the buyer's members and admins every bid, a supplier its own, and anyone else none; the
//! comparison and a bid's page are 404 pages for anyone else. The tender's page says nothing
//! about bids (not even how many) to a visitor who sees none. Documents are the JSON API's
//! downloads, linked.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{self, Head, row};
use super::{PageResult, Visitor, html as page_html, links, paging};
use crate::AppState;
use crate::domain::{BidStatus, TenderLifecycle, Visibility};
use crate::store::Page;
use crate::store::tenders::{PackRow, ScoreRow, TenderRecord};
use crate::usecase::Catalogue;
use crate::usecase::organisations;
use crate::usecase::tenders::{self, BidView, TenderView};
use pac_tender::compare::Comparison;
use pac_tender::{Check, Evaluation, Level, Outcome, Pack, Requirement, Status, Verdict};

/// Tenders listed per page.
const PER_PAGE: i64 = 50;
/// The last page an address may ask for.
const MAX_PAGE: usize = 1_000;

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

/// The name of an organisation, by its slug (organisations are public); the slug if it has gone.
fn org_name(cat: &Catalogue, slug: &str) -> String {
    organisations::get(cat, slug).map_or_else(|_| slug.to_owned(), |o| o.name)
}

#[get("/tenders")]
pub async fn tenders_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    req: HttpRequest,
) -> PageResult {
    let q: PageQuery = super::query(&req)?;
    let number = paging::parse(q.page.as_deref(), MAX_PAGE)?;
    let page = Page {
        limit: PER_PAGE,
        offset: (number as i64 - 1) * PER_PAGE,
    };
    let body = super::blocking(move || {
        let cat = &state.catalogue;
        let list = tenders::list(cat, &visitor.principal, None, page)?;
        let mut buyers = HashMap::new();
        for t in &list.items {
            if !buyers.contains_key(&t.buyer) {
                buyers.insert(t.buyer.clone(), org_name(cat, &t.buyer));
            }
        }
        let pages = paging::count(list.total, PER_PAGE);
        Ok(render_list(&visitor, &list.items, &buyers, number, pages))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_list(
    visitor: &Visitor,
    items: &[TenderRecord],
    buyers: &HashMap<String, String>,
    number: usize,
    pages: usize,
) -> Markup {
    let head = Head::new("Tenders").crumb("Home", "/");
    let body = html! {
        h1 class="govuk-heading-l" { "Tenders" }
        p class="govuk-body" {
            "Procurements of policing organisations with API requirements: what each tender asks of the "
            "solution's APIs, and how bids are judged against it. "
            a class="govuk-link" href="/standard" { "The police API standard" } " is part of every one."
        }
        @if items.is_empty() {
            p class="govuk-body" {
                @if number == 1 { "No tender you can see." } @else { "No more tenders." }
            }
        } @else {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s" { "Tenders you can see, newest first" }
                (layout::table_head(&["Tender", "Buyer", "Lifecycle", "Requirement pack"]))
                tbody class="govuk-table__body" {
                    @for t in items {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { a class="govuk-link" href=(links::tender(&t.tender.slug)) { (t.tender.title) } }
                            td class="govuk-table__cell" {
                                a class="govuk-link" href=(links::organisation(&t.buyer)) { (buyers.get(&t.buyer).map_or(t.buyer.as_str(), String::as_str)) }
                            }
                            td class="govuk-table__cell" { (lifecycle_tag(t.tender.lifecycle)) }
                            td class="govuk-table__cell" {
                                @match &t.tender.pack_version {
                                    Some(v) => { "Version " (v) },
                                    None => "None yet",
                                }
                            }
                        }
                    }
                }
            }
        }
        (paging::nav(number, pages, |p| format!("{}?page={p}", links::tenders())))
    };
    layout::page(visitor, &head, body)
}

/// What the tender's page shows about bids, as the visitor may see them.
enum BidsSeen {
    /// The buyer's members and admins: every bid.
    All(Vec<BidView>),
    /// A supplier's members: their own bid.
    Own(Box<BidView>),
    /// Anyone else: nothing at all.
    None,
}

#[get("/tenders/{tender}")]
pub async fn tender_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> PageResult {
    let slug = path.into_inner();
    let body = super::blocking(move || {
        let cat = &state.catalogue;
        let who = &visitor.principal;
        let view = tenders::get(cat, who, &slug)?;
        let (_, packs) = tenders::packs(cat, who, &slug)?;
        let seen = if tenders::sees_every_bid(who, &view.record) {
            BidsSeen::All(tenders::bids(cat, who, &slug)?)
        } else if who.org().is_some() {
            // Perhaps a supplier with a bid: the use case gives its own, or none.
            match tenders::bids(cat, who, &slug)?.into_iter().next() {
                Some(own) => BidsSeen::Own(Box::new(own)),
                None => BidsSeen::None,
            }
        } else {
            // Without an organisation there is no bid to see: not even asked for, so that the
            // page costs the same whatever bids there are.
            BidsSeen::None
        };
        let buyer = org_name(cat, &view.record.buyer);
        let awarded = view.record.awarded_to.as_deref().map(|s| org_name(cat, s));
        Ok(render_tender(
            &visitor,
            &view,
            &buyer,
            awarded.as_deref(),
            &packs,
            &seen,
        ))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_tender(
    visitor: &Visitor,
    view: &TenderView,
    buyer: &str,
    awarded: Option<&str>,
    packs: &[PackRow],
    seen: &BidsSeen,
) -> Markup {
    let record = &view.record;
    let t = &record.tender;
    let head = Head::new(&t.title)
        .crumb("Home", "/")
        .crumb("Tenders", links::tenders());
    let body = html! {
        span class="govuk-caption-l" { "Tender of " (buyer) }
        h1 class="govuk-heading-l" { (t.title) }
        dl class="govuk-summary-list" {
            (row("Buyer", html! { a class="govuk-link" href=(links::organisation(&record.buyer)) { (buyer) } }))
            (row("Lifecycle", html! { (lifecycle_tag(t.lifecycle)) " " (lifecycle_words(t.lifecycle)) }))
            @if let (Some(slug), Some(name)) = (&record.awarded_to, awarded) {
                (row("Awarded to", html! { a class="govuk-link" href=(links::organisation(slug)) { (name) } }))
            }
            (row("Visibility", html! { (visibility_words(t.visibility)) }))
            (row("Requirement pack", match &view.pack {
                Some((row, pack)) => html! {
                    (pack.id) ", version " (pack.version)
                    " (published " (row.published_at.format("%-d %B %Y")) ")"
                },
                None => html! { "No requirement pack yet" },
            }))
        }
        @match &view.pack {
            Some((_, pack)) => {
                @if let Some(d) = pack.description.as_deref().filter(|d| !d.trim().is_empty()) {
                    p class="govuk-body" { (d) }
                }
                (bids_section(&t.slug, &t.title, seen, true))
                (requirements(pack))
                (versions(&t.slug, packs))
                (downloads(&t.slug, &pack.version))
            }
            None => {
                p class="govuk-body" { "The buyer has not added the tender's requirement pack yet." }
                (bids_section(&t.slug, &t.title, seen, false))
            }
        }
    };
    layout::page(visitor, &head, body)
}

fn lifecycle_tag(l: TenderLifecycle) -> Markup {
    match l {
        TenderLifecycle::Draft => layout::tag("Draft", Some("grey")),
        TenderLifecycle::Published => layout::tag("Published", Some("green")),
        TenderLifecycle::Closed => layout::tag("Closed", Some("orange")),
        TenderLifecycle::Awarded => layout::tag("Awarded", Some("blue")),
    }
}

fn lifecycle_words(l: TenderLifecycle) -> &'static str {
    match l {
        TenderLifecycle::Draft => "The buyer is writing it; it takes no bids yet.",
        TenderLifecycle::Published => "It takes bids.",
        TenderLifecycle::Closed => "It takes no more bids.",
        TenderLifecycle::Awarded => "The contract has been awarded.",
    }
}

fn visibility_words(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "Public: anyone can see it",
        Visibility::Policing => "Policing: signed-in people of policing organisations",
        Visibility::Restricted => "Restricted: its buyer's organisation only",
    }
}

/// The bids, as the visitor may see them: all for the buyer, their own for a supplier, and not a
/// word for anyone else.
fn bids_section(slug: &str, title: &str, seen: &BidsSeen, has_pack: bool) -> Markup {
    match seen {
        BidsSeen::None => html! {},
        BidsSeen::Own(bid) => {
            let supplier = &bid.record.supplier;
            html! {
                h2 class="govuk-heading-m" id="your-bid" { "Your bid" }
                dl class="govuk-summary-list" {
                    (row("Supplier", html! { (bid.record.supplier_name) }))
                    (row("Status", bid_status_tag(bid.record.bid.status)))
                    @if bid.record.bid.status == BidStatus::Open {
                        (row("Verdict", verdict_tag(bid.evaluation.as_ref().map(|e| e.verdict))))
                        @if let Some(e) = &bid.evaluation {
                            (row("Marks", marks(e)))
                        }
                    }
                }
                p class="govuk-body" {
                    a class="govuk-link" href=(links::bid(slug, supplier)) { "Open your bid and its evaluation" }
                }
            }
        }
        BidsSeen::All(bids) => html! {
            h2 class="govuk-heading-m" id="bids" { "Bids" }
            div class="govuk-inset-text" {
                "Bids are commercially sensitive: only the buyer's organisation, each bidding supplier (its own bid) and administrators see them."
            }
            @if bids.is_empty() {
                p class="govuk-body" { "No bid yet." }
            } @else {
                table class="govuk-table" {
                    caption class="govuk-table__caption govuk-table__caption--s" { "Bids for " (title) }
                    (layout::table_head(&["Supplier", "Status", "Verdict", "Marks"]))
                    tbody class="govuk-table__body" {
                        @for b in bids {
                            tr class="govuk-table__row" {
                                td class="govuk-table__cell" {
                                    a class="govuk-link" href=(links::bid(slug, &b.record.supplier)) { (b.record.supplier_name) }
                                }
                                td class="govuk-table__cell" { (bid_status_tag(b.record.bid.status)) }
                                td class="govuk-table__cell" {
                                    @if b.record.bid.status == BidStatus::Open {
                                        (verdict_tag(b.evaluation.as_ref().map(|e| e.verdict)))
                                    } @else { "None" }
                                }
                                td class="govuk-table__cell" {
                                    @match (&b.evaluation, b.record.bid.status) {
                                        (Some(e), BidStatus::Open) => (marks(e)),
                                        _ => "None",
                                    }
                                }
                            }
                        }
                    }
                }
                @if has_pack {
                    p class="govuk-body" {
                        a class="govuk-link" href=(links::tender_comparison(slug)) { "Compare the bids requirement by requirement" }
                    }
                }
            }
        },
    }
}

fn bid_status_tag(s: BidStatus) -> Markup {
    match s {
        BidStatus::Open => layout::tag("Open", Some("blue")),
        BidStatus::Withdrawn => layout::tag("Withdrawn", Some("grey")),
    }
}

fn verdict_tag(v: Option<Verdict>) -> Markup {
    match v {
        Some(Verdict::Compliant) => layout::tag("Compliant", Some("green")),
        Some(Verdict::NonCompliant) => layout::tag("Non-compliant", Some("red")),
        Some(Verdict::NeedsReview) => layout::tag("Needs review", Some("yellow")),
        None => layout::tag("Not evaluated", Some("grey")),
    }
}

fn status_words(s: Status) -> &'static str {
    match s {
        Status::Met => "Met",
        Status::NotMet => "Not met",
        Status::NeedsReview => "Needs review",
    }
}

fn status_tag(s: Status) -> Markup {
    let colour = match s {
        Status::Met => "green",
        Status::NotMet => "red",
        Status::NeedsReview => "yellow",
    };
    layout::tag(status_words(s), Some(colour))
}

fn level_tag(l: Level) -> Markup {
    match l {
        Level::Must => layout::tag("MUST", Some("purple")),
        Level::Should => layout::tag("SHOULD", Some("light-blue")),
    }
}

/// `12.5 of 30 marks (41.7%), 10 waiting for an evaluator`.
fn marks(e: &Evaluation) -> Markup {
    html! {
        (e.points) " of " (e.available) " marks"
        @if e.available > 0 { " (" (e.percent()) "%)" }
        @if e.pending > 0 { ", " (e.pending) " waiting for an evaluator" }
    }
}

/// `25%`, `16.7%`: a share of the total, to one decimal place.
fn share(part: u32, total: u32) -> String {
    if total == 0 {
        return "0%".to_owned();
    }
    let p = (1000.0 * f64::from(part) / f64::from(total)).round() / 10.0;
    format!("{p}%")
}

fn requirement_heading(r: &Requirement) -> String {
    match &r.title {
        Some(t) => format!("{}: {t}", r.id),
        None => r.id.clone(),
    }
}

fn requirements(pack: &Pack) -> Markup {
    let total = pack.total_weight();
    let musts = pack
        .requirements
        .iter()
        .filter(|r| r.level == Level::Must)
        .count();
    let shoulds = pack.requirements.len() - musts;
    // Sections without requirements have nothing to show here.
    let groups: Vec<_> = pac_tender::export::by_section(pack)
        .into_iter()
        .filter(|(_, rs)| !rs.is_empty())
        .collect();
    let sectioned = !pack.sections.is_empty();
    html! {
        h2 class="govuk-heading-m" id="requirements" { "Requirements" }
        p class="govuk-body" {
            (pack.requirements.len()) " requirement" @if pack.requirements.len() != 1 { "s" } ": "
            (musts) " MUST (each a pass/fail gate: a bid that fails one is not compliant) and "
            (shoulds) " SHOULD (scored: each one's weight is its share of the " (total) " marks)."
        }
        @for (section, rs) in &groups {
            @if sectioned {
                @match section {
                    Some(s) => {
                        h3 class="govuk-heading-m" id=(format!("section-{}", s.id)) { (s.title) }
                        @if let Some(text) = &s.text { p class="govuk-body" { (text) } }
                    }
                    None => h3 class="govuk-heading-m" { "Other requirements" },
                }
            }
            @for r in rs {
                (requirement(r, total, sectioned))
            }
        }
    }
}

fn requirement(r: &Requirement, total: u32, sectioned: bool) -> Markup {
    let heading = html! { (level_tag(r.level)) " " (requirement_heading(r)) };
    html! {
        @if sectioned {
            h4 class="govuk-heading-s govuk-!-margin-top-6" id=(format!("requirement-{}", r.id)) { (heading) }
        } @else {
            h3 class="govuk-heading-s govuk-!-margin-top-6" id=(format!("requirement-{}", r.id)) { (heading) }
        }
        dl class="govuk-summary-list" {
            (row("Importance", match r.weight {
                Some(w) => html! { "SHOULD, scored: weight " (w) " of " (total) " marks (" (share(w, total)) ")" },
                None => html! { "MUST: pass or fail" },
            }))
            (row("Requirement", html! { (r.text) }))
            (row("Evidence asked for", html! { (pac_tender::export::evidence_asked(r)) }))
            (row("How it is assessed", assessment(r)))
        }
        @if let Check::Manual(m) = &r.check {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s" { "What each score of " (r.id) " means" }
                (layout::table_head(&["Score", "Meaning"]))
                tbody class="govuk-table__body" {
                    @for (score, words) in &m.descriptors {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell" { (score) }
                            td class="govuk-table__cell" { (words) }
                        }
                    }
                }
            }
        }
    }
}

/// How a requirement is assessed: the contract by name and version, the standard's criteria, or
/// an evaluator's scale.
fn assessment(r: &Requirement) -> Markup {
    match &r.check {
        Check::Contract(c) => html! {
            "Automatically, by the catalogue: at least one API description of the solution conforms to the contract "
            strong { (c.label()) } "."
        },
        Check::Standard(s) => html! {
            "Automatically, by the catalogue: every API description of the solution must have "
            (pac_tender::evaluate::asked(s)) ", as the standard stands when the bid is evaluated."
            @if !s.rules.is_empty() {
                " Read the rules: "
                @for (i, rule) in s.rules.iter().enumerate() {
                    @if i > 0 { ", " }
                    a class="govuk-link" href=(format!("/standard#rule-{rule}")) { code { (rule) } }
                }
                "."
            } @else {
                " " a class="govuk-link" href="/standard" { "Read the police API standard" } "."
            }
        },
        Check::Manual(m) => html! {
            "By an evaluator, on the scale " (m.scale())
            @if r.level == Level::Must { "; a score of " (m.pass) " or more meets it" }
            "."
        },
        Check::Tier(t) => html! {
            "Automatically, by the catalogue: the system the bid offers, registered in the catalogue, is at the "
            strong { (t.min.label()) } " interoperability tier or above when the bid is evaluated. "
            a class="govuk-link" href="/standard#tiers" { "How tiers are earned" } "."
        },
    }
}

fn versions(slug: &str, packs: &[PackRow]) -> Markup {
    html! {
        h2 class="govuk-heading-m" id="versions" { "Versions of the requirement pack" }
        table class="govuk-table" {
            caption class="govuk-table__caption govuk-table__caption--s" {
                (packs.len()) " version" @if packs.len() != 1 { "s" } ", newest first"
            }
            (layout::table_head(&["Version", "Published", "What changed"]))
            tbody class="govuk-table__body" {
                @for p in packs.iter().rev() {
                    tr class="govuk-table__row" {
                        td class="govuk-table__cell" {
                            a class="govuk-link" href=(links::tender_pack_original(slug, &p.version)) {
                                (p.version) " " span class="govuk-visually-hidden" { "of the pack " } "(YAML)"
                            }
                        }
                        td class="govuk-table__cell" { (p.published_at.format("%-d %B %Y")) }
                        td class="govuk-table__cell" { (changes(p)) }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct Change {
    change: String,
    requirement: String,
    #[serde(default)]
    fields: Vec<String>,
}

fn changes(p: &PackRow) -> Markup {
    let list: Vec<Change> = serde_json::from_str(&p.changes).unwrap_or_default();
    html! {
        @if p.seq <= 1 {
            "The first version."
        } @else if list.is_empty() {
            "No requirement changed."
        } @else {
            ul class="govuk-list" {
                @for c in &list {
                    li {
                        (c.requirement) " "
                        @match c.change.as_str() {
                            "added" => "added",
                            "removed" => "removed",
                            _ => { "changed: " (c.fields.join(", ")) },
                        }
                    }
                }
            }
        }
    }
}

fn downloads(slug: &str, version: &str) -> Markup {
    let docs = [
        ("markdown", "Tender text as Markdown"),
        ("docx", "Tender text as a Word document (DOCX)"),
        ("csv", "Compliance matrix for bidders as CSV"),
        (
            "xlsx",
            "Compliance matrix for bidders as an Excel workbook (XLSX)",
        ),
        ("ocds", "Open Contracting Data Standard release (JSON)"),
    ];
    html! {
        h2 class="govuk-heading-m" id="documents" { "Documents" }
        p class="govuk-body" { "Made from version " (version) " of the requirement pack." }
        ul class="govuk-list" {
            @for (format, text) in docs {
                li { a class="govuk-link" href=(links::tender_export(slug, format)) download { (text) } }
            }
        }
    }
}

#[get("/tenders/{tender}/comparison")]
pub async fn comparison_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> PageResult {
    let slug = path.into_inner();
    let body = super::blocking(move || {
        let cat = &state.catalogue;
        let who = &visitor.principal;
        let (view, comparison) = tenders::comparison(cat, who, &slug)?;
        // The comparison names bids by their supplier's name; their pages are by slug.
        let suppliers: HashMap<String, String> = tenders::bids(cat, who, &slug)?
            .into_iter()
            .filter(|b| b.record.bid.status == BidStatus::Open)
            .map(|b| (b.record.supplier_name, b.record.supplier))
            .collect();
        Ok(render_comparison(&visitor, &view, &comparison, &suppliers))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_comparison(
    visitor: &Visitor,
    view: &TenderView,
    c: &Comparison,
    suppliers: &HashMap<String, String>,
) -> Markup {
    let t = &view.record.tender;
    let head = Head::new("Comparison of bids")
        .crumb("Home", "/")
        .crumb("Tenders", links::tenders())
        .crumb(t.title.clone(), links::tender(&t.slug));
    let pack = view.pack.as_ref().map(|(_, p)| p);
    let bid_name = |name: &str| match suppliers.get(name) {
        Some(s) => html! { a class="govuk-link" href=(links::bid(&t.slug, s)) { (name) } },
        None => html! { (name) },
    };
    let body = html! {
        span class="govuk-caption-l" { (t.title) }
        h1 class="govuk-heading-l" { "Comparison of bids" }
        p class="govuk-body" {
            "Every open bid with an evaluation, against version " (c.pack_version) " of the requirement pack. "
            "Bids that fail a MUST requirement are disqualified and not ranked."
        }
        @if c.bids.is_empty() {
            p class="govuk-body" { "No bid has been evaluated yet." }
        } @else {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--m" { "Bids by verdict and marks" }
                (layout::table_head(&["Bid", "Verdict", "Marks", "Rank"]))
                tbody class="govuk-table__body" {
                    @for b in &c.bids {
                        tr class="govuk-table__row" {
                            th scope="row" class="govuk-table__header" { (bid_name(&b.bid)) }
                            td class="govuk-table__cell" { (verdict_tag(Some(b.verdict))) }
                            td class="govuk-table__cell" {
                                (b.points) " of " (b.available)
                                @if b.pending > 0 { ", " (b.pending) " waiting for an evaluator" }
                            }
                            td class="govuk-table__cell" {
                                @match b.rank {
                                    Some(r) => (r),
                                    None => strong { "Disqualified" },
                                }
                            }
                        }
                    }
                }
            }
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--m" { "Each requirement, bid by bid" }
                thead class="govuk-table__head" {
                    tr class="govuk-table__row" {
                        th scope="col" class="govuk-table__header" { "Requirement" }
                        @for b in &c.bids {
                            th scope="col" class="govuk-table__header" { (b.bid) }
                        }
                    }
                }
                tbody class="govuk-table__body" {
                    @for r in &c.rows {
                        tr class="govuk-table__row" {
                            th scope="row" class="govuk-table__header" {
                                (r.id) " " (level_tag(r.level))
                                @if let Some(title) = pack.and_then(|p| p.requirement(&r.id)).and_then(|q| q.title.as_deref()) {
                                    br; span class="govuk-body-s" { (title) }
                                }
                                @if let Some(w) = r.weight { br; span class="govuk-body-s" { "Weight " (w) } }
                            }
                            @for cell in &r.cells {
                                td class="govuk-table__cell" {
                                    @match cell {
                                        Some(cell) => {
                                            (status_tag(cell.status))
                                            @match (cell.points, r.weight) {
                                                (Some(p), Some(w)) => { br; (p) " of " (w) }
                                                (None, Some(w)) => { br; "? of " (w) }
                                                _ => {}
                                            }
                                        }
                                        None => "Not assessed",
                                    }
                                }
                            }
                        }
                    }
                    tr class="govuk-table__row" {
                        th scope="row" class="govuk-table__header" { "Verdict" }
                        @for b in &c.bids {
                            td class="govuk-table__cell" { (verdict_tag(Some(b.verdict))) }
                        }
                    }
                    tr class="govuk-table__row" {
                        th scope="row" class="govuk-table__header" { "Total marks" }
                        @for b in &c.bids {
                            td class="govuk-table__cell" {
                                strong { (b.points) " of " (b.available) }
                                @if b.rank.is_none() { br; "Disqualified" }
                            }
                        }
                    }
                }
            }
        }
        h2 class="govuk-heading-m" id="documents" { "Download the comparison" }
        ul class="govuk-list" {
            @for (format, text) in [("markdown", "Comparison of bids as Markdown"), ("csv", "Comparison of bids as CSV"), ("xlsx", "Comparison of bids as an Excel workbook (XLSX)")] {
                li { a class="govuk-link" href=(links::comparison_download(&t.slug, format)) download { (text) } }
            }
        }
    };
    layout::page(visitor, &head, body)
}

#[get("/tenders/{tender}/bids/{supplier}")]
pub async fn bid_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (slug, supplier) = path.into_inner();
    let body = super::blocking(move || {
        let cat = &state.catalogue;
        let who = &visitor.principal;
        // The bid first: anyone who may not see it gets "not found" before anything else is read.
        let bid = tenders::bid(cat, who, &slug, &supplier)?;
        let view = tenders::get(cat, who, &slug)?;
        Ok(render_bid(&visitor, &view, &bid))
    })
    .await?;
    Ok(page_html(StatusCode::OK, body))
}

fn render_bid(visitor: &Visitor, view: &TenderView, bid: &BidView) -> Markup {
    let t = &view.record.tender;
    let supplier = &bid.record.supplier;
    let title = format!("Bid of {}", bid.record.supplier_name);
    let head = Head::new(&title)
        .crumb("Home", "/")
        .crumb("Tenders", links::tenders())
        .crumb(t.title.clone(), links::tender(&t.slug));
    let pack = view.pack.as_ref().map(|(_, p)| p);
    let withdrawn = bid.record.bid.status == BidStatus::Withdrawn;
    let body = html! {
        span class="govuk-caption-l" { (t.title) }
        h1 class="govuk-heading-l" { (title) }
        @if withdrawn {
            dl class="govuk-summary-list" {
                (row("Status", bid_status_tag(bid.record.bid.status)))
            }
            div class="govuk-inset-text" {
                "This bid was withdrawn by its supplier. Its API descriptions, scores and evaluation have been deleted."
            }
        } @else {
            dl class="govuk-summary-list" {
                (row("Supplier", html! { a class="govuk-link" href=(links::organisation(supplier)) { (bid.record.supplier_name) } }))
                (row("Status", bid_status_tag(bid.record.bid.status)))
                (row("Verdict", html! {
                    (verdict_tag(bid.evaluation.as_ref().map(|e| e.verdict)))
                    " " (verdict_words(bid.evaluation.as_ref().map(|e| e.verdict)))
                }))
                @if let Some(e) = &bid.evaluation {
                    (row("Marks", html! {
                        (e.points) " scored of " (e.available) " available"
                        @if e.available > 0 { " (" (e.percent()) "%)" }
                        @if e.pending > 0 { ", " (e.pending) " waiting for an evaluator" }
                    }))
                    (row("Judged against", html! { "Version " (e.pack_version) " of the requirement pack, under " (e.standard) }))
                }
                @if let Some(system) = &bid.system {
                    (row("System offered", html! { a class="govuk-link" href=(links::system(system)) { (system) } }))
                }
                (row("API descriptions", html! {
                    @if bid.files.is_empty() {
                        "None yet"
                    } @else {
                        ul class="govuk-list" {
                            @for f in &bid.files {
                                li { a class="govuk-link" href=(links::bid_description(&t.slug, supplier, &f.name)) download { (f.name) } }
                            }
                        }
                    }
                }))
            }
            @if let Some(e) = &bid.evaluation {
                @if !e.files.is_empty() {
                    table class="govuk-table" {
                        caption class="govuk-table__caption govuk-table__caption--s" { "The bid's API descriptions under the police API standard" }
                        (layout::table_head(&["API description", "Kitemark", "Score"]))
                        tbody class="govuk-table__body" {
                            @for f in &e.files {
                                tr class="govuk-table__row" {
                                    td class="govuk-table__cell" { (f.file) }
                                    td class="govuk-table__cell" { (layout::kitemark_tag(f.kitemark.map(|k| if k { "yes" } else { "no" }))) }
                                    td class="govuk-table__cell" { @match f.score { Some(s) => { (s) " out of 100" }, None => "Not scored" } }
                                }
                            }
                        }
                    }
                }
                h2 class="govuk-heading-m" id="documents" { "Download the evaluation" }
                ul class="govuk-list" {
                    li { a class="govuk-link" href=(links::bid_report(&t.slug, supplier, "markdown")) download { "Evaluation report as Markdown" } }
                    li { a class="govuk-link" href=(links::bid_report(&t.slug, supplier, "csv")) download { "Evaluation report as CSV" } }
                }
                h2 class="govuk-heading-m" id="requirements" { "Requirement by requirement" }
                @let scores = tenders::scores_by_requirement(&bid.scores);
                @for o in &e.requirements {
                    (outcome(o, pack.and_then(|p| p.requirement(&o.id)), scores.get(o.id.as_str()).copied()))
                }
            } @else {
                p class="govuk-body" { "The bid has not been evaluated: it has no API description yet." }
            }
        }
    };
    layout::page(visitor, &head, body)
}

fn verdict_words(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Compliant) => {
            "Every MUST requirement is met and every requirement is assessed."
        }
        Some(Verdict::NonCompliant) => {
            "A MUST requirement is not met: the bid is disqualified and not ranked."
        }
        Some(Verdict::NeedsReview) => {
            "No MUST requirement has failed; some requirement waits for an evaluator."
        }
        None => "",
    }
}

fn outcome(o: &Outcome, r: Option<&Requirement>, score: Option<&ScoreRow>) -> Markup {
    let heading = match r {
        Some(r) => requirement_heading(r),
        None => o.id.clone(),
    };
    html! {
        h3 class="govuk-heading-s govuk-!-margin-top-6" id=(format!("requirement-{}", o.id)) {
            (status_tag(o.status)) " " (heading)
        }
        dl class="govuk-summary-list" {
            (row("Level", html! { (o.level.as_str()) }))
            (row("Status", html! { (status_words(o.status)) }))
            @if let Some(w) = o.weight {
                (row("Marks", match o.points {
                    Some(p) => html! { (p) " of " (w) },
                    None => html! { "None yet of " (w) ": waiting for an evaluator" },
                }))
            }
            @if let Some(max) = o.scale_max {
                (row("Evaluator's score", match o.evaluator_score {
                    Some(s) => html! {
                        (s) " on the scale 0-" (max)
                        @if let Some(sc) = score {
                            p class="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0" { (sc.justification) }
                        }
                    },
                    None => html! { "Not scored yet (scale 0-" (max) ")" },
                }))
            }
            (row("Explanation", html! { (o.explanation) }))
        }
        @if !o.evidence.is_empty() {
            table class="govuk-table" {
                caption class="govuk-table__caption govuk-table__caption--s" { "Evidence for " (o.id) }
                (layout::table_head(&["Where", "Finding"]))
                tbody class="govuk-table__body" {
                    @for ev in &o.evidence {
                        tr class="govuk-table__row" {
                            td class="govuk-table__cell govuk-!-width-one-third" {
                                @match (&ev.file, ev.line) {
                                    (Some(f), Some(l)) => { code { (f) ":" (l) } },
                                    (Some(f), None) => { code { (f) } },
                                    _ => "The bid as a whole",
                                }
                                @if let Some(op) = &ev.operation { br; code { (op) } }
                            }
                            td class="govuk-table__cell" {
                                @if ev.holds {
                                    (layout::tag("Supports", Some("green")))
                                } @else if o.status == Status::NeedsReview {
                                    (layout::tag("To review", Some("yellow")))
                                } @else {
                                    (layout::tag("Against", Some("red")))
                                }
                                " "
                                @if let Some(rule) = ev.rule.as_deref().filter(|r| !ev.message.starts_with(r)) { code { (rule) } " " }
                                (ev.message)
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_rounded_to_one_place() {
        assert_eq!(share(25, 100), "25%");
        assert_eq!(share(1, 3), "33.3%");
        assert_eq!(share(0, 0), "0%");
    }
}
