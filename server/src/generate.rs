//! `stepdesk demo`: a desk's worth of cases, made the way people make them.
//!
//! Every case is opened with [`Desk::open_case`], its executions run on the
//! engine, its tasks arrive through the activity pollers with real tokens,
//! and every answer goes through [`Desk::submit`] by a user the step lets
//! act, so the mirror, the audit trail and the engine agree as they would in
//! production. Values come from each case type's own fields and forms, so a
//! team's own case types are filled as well as the shipped ones.
//!
//! It is resumable: `cases` is the number the mirror should hold, and a run
//! cut short is finished by running it again.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use casetype::check::currency_key;
use casetype::field::value_text;
use casetype::{FieldKind, FieldView};
use db::desk::CaseForm;
use db::tasks::{Task, TaskStatus};
use db::{Desk, Role, User};
use tokio::task::JoinSet;

/// The staff the cases are spread over, besides the demo users. They get
/// a password nobody knows: an admin gives them one to sign in.
const STAFF: [(&str, Role); 28] = [
    ("amara", Role::Operator),
    ("bruno", Role::Operator),
    ("chen", Role::Operator),
    ("dana", Role::Operator),
    ("emeka", Role::Operator),
    ("farah", Role::Operator),
    ("goran", Role::Operator),
    ("hana", Role::Operator),
    ("ivan", Role::Operator),
    ("jonas", Role::Operator),
    ("keiko", Role::Operator),
    ("lucia", Role::Operator),
    ("mateo", Role::Operator),
    ("nadia", Role::Operator),
    ("omar", Role::Operator),
    ("priya", Role::Operator),
    ("quinn", Role::Operator),
    ("rosa", Role::Operator),
    ("sven", Role::Operator),
    ("tariq", Role::Operator),
    ("uma", Role::Operator),
    ("viktor", Role::Operator),
    ("wen", Role::Operator),
    ("yusuf", Role::Operator),
    ("zoe", Role::Operator),
    ("grace", Role::Manager),
    ("henrik", Role::Manager),
    ("ines", Role::Manager),
];

const COMPANIES: [&str; 24] = [
    "ACME",
    "GLOBEX",
    "INITECH",
    "UMBRELLA",
    "HOOLI",
    "STARK",
    "WAYNE",
    "TYRELL",
    "CYBERDYNE",
    "SOYLENT",
    "VANDELAY",
    "WONKA",
    "GRINGOTTS",
    "MONARCH",
    "OSCORP",
    "PIED",
    "DUNDER",
    "KRUSTY",
    "NAKATOMI",
    "BLUTH",
    "MASSIVE",
    "AVIATO",
    "NUKA",
    "ZORG",
];

const SUBJECTS: [&str; 24] = [
    "Invoice",
    "Order",
    "Password reset",
    "Delivery",
    "Warehouse scanner",
    "Card payment",
    "Subscription",
    "Login",
    "Export",
    "Refund request",
    "Shipping label",
    "Account",
    "Mobile app",
    "Report",
    "Contract",
    "Return",
    "Price list",
    "Coupon",
    "Email notification",
    "Dashboard",
    "Barcode printer",
    "Customs form",
    "Backup",
    "Webhook",
];

const PROBLEMS: [&str; 20] = [
    "charged twice",
    "never arrives",
    "offline since this morning",
    "shows the wrong amount",
    "cannot be cancelled",
    "stuck in processing",
    "times out",
    "missing after the update",
    "sent to the wrong address",
    "rejected without a reason",
    "duplicated",
    "fails with an error",
    "too slow to use",
    "shows someone else's data",
    "was never confirmed",
    "needs a change of address",
    "locked after three attempts",
    "does not match the quote",
    "lost in transit",
    "needs approval today",
];

const SENTENCES: [&str; 16] = [
    "The customer called twice about this.",
    "It started after last week's release.",
    "They attached a screenshot of the error.",
    "Nothing in the logs on our side yet.",
    "Their account manager asked us to prioritise it.",
    "It happens on every device they tried.",
    "A workaround helped for a day, then it came back.",
    "The order was placed on Monday morning.",
    "Finance needs the figures before the month closes.",
    "They are a long-standing customer.",
    "Two other customers reported something similar.",
    "The courier says the parcel was delivered.",
    "Support tried the usual steps already.",
    "The invoice number is in the original email.",
    "They would like a call back this afternoon.",
    "This blocks their team's daily work.",
];

const SYSTEMS: [&str; 12] = [
    "billing-prod",
    "crm",
    "warehouse",
    "payroll",
    "analytics",
    "support-desk",
    "shipping",
    "vpn",
    "data-lake",
    "hr-portal",
    "ledger",
    "catalog",
];

/// What to make.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The cases the mirror should hold when done.
    pub cases: u64,
    /// Seeds the choices, so two runs make the same kind of desk.
    pub seed: u64,
    /// Cases in the making at once.
    pub concurrency: usize,
    /// The share of cases worked to their end (the rest stay live, at
    /// their first step or further along).
    pub closed_share: f64,
}

/// What a run made.
#[derive(Debug, Default)]
pub struct Report {
    /// Cases in the mirror before the run.
    pub existing: u64,
    /// Cases this run opened.
    pub opened: u64,
    /// Of them, worked to their end.
    pub closed: u64,
    /// Answers given.
    pub answers: u64,
    /// How long it took.
    pub elapsed: Duration,
}

/// Counters shared by the cases in the making.
#[derive(Debug, Default)]
struct Tally {
    opened: AtomicU64,
    closed: AtomicU64,
    answers: AtomicU64,
}

/// The people who open and answer cases.
#[derive(Debug)]
struct People {
    everyone: Vec<User>,
    operators: Vec<User>,
}

/// Creates the staff the cases are spread over (the demo users must exist).
async fn staff(desk: &Desk) -> anyhow::Result<People> {
    let secret = uuid::Uuid::new_v4().simple().to_string();
    crate::demo::ensure_users(desk, &STAFF, secret).await?;
    let everyone = db::users::list(&desk.pool).await?;
    let operators = everyone
        .iter()
        .filter(|u| u.role == Role::Operator)
        .cloned()
        .collect();
    Ok(People {
        everyone,
        operators,
    })
}

/// Fills the desk up to `plan.cases` cases; `progress` hears after every
/// thousand. The activity pollers must be running.
pub async fn generate(
    desk: &Desk,
    plan: &Plan,
    progress: impl Fn(u64, u64, Duration),
) -> anyhow::Result<Report> {
    let started = Instant::now();
    crate::demo::seed_users(desk).await?;
    let people = Arc::new(staff(desk).await?);
    let existing: u64 = db::cases::count_by_status(&desk.pool)
        .await?
        .iter()
        .map(|(_, n)| u64::try_from(*n).unwrap_or_default())
        .sum();
    let to_open = plan.cases.saturating_sub(existing);
    let case_types: Vec<String> = desk
        .catalog
        .types
        .iter()
        .filter(|t| t.spec.openable)
        .map(|t| t.spec.name.clone())
        .collect();
    anyhow::ensure!(!case_types.is_empty(), "no case type can be opened by hand");
    let tally = Arc::new(Tally::default());
    let mut rng = fastrand::Rng::with_seed(plan.seed ^ existing);
    let mut running = JoinSet::new();
    for n in 0..to_open {
        while running.len() >= plan.concurrency.max(1) {
            finished(&mut running).await?;
        }
        let case = Making {
            desk: desk.clone(),
            people: people.clone(),
            tally: tally.clone(),
            case_type: case_types[rng.usize(..case_types.len())].clone(),
            closes: rng.f64() < plan.closed_share,
            rng: fastrand::Rng::with_seed(rng.u64(..)),
        };
        running.spawn(case.make());
        if (n + 1) % 1000 == 0 {
            progress(n + 1, to_open, started.elapsed());
        }
    }
    while !running.is_empty() {
        finished(&mut running).await?;
    }
    Ok(Report {
        existing,
        opened: tally.opened.load(Ordering::Relaxed),
        closed: tally.closed.load(Ordering::Relaxed),
        answers: tally.answers.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    })
}

async fn finished(running: &mut JoinSet<anyhow::Result<()>>) -> anyhow::Result<()> {
    match running.join_next().await {
        Some(done) => done.context("a case in the making panicked")?,
        None => Ok(()),
    }
}

/// One case being made.
struct Making {
    desk: Desk,
    people: Arc<People>,
    tally: Arc<Tally>,
    case_type: String,
    closes: bool,
    rng: fastrand::Rng,
}

impl Making {
    async fn make(mut self) -> anyhow::Result<()> {
        let spec = self.desk.case_type(&self.case_type)?.clone();
        let opener = self
            .rng
            .choice(&self.people.everyone)
            .context("no users")?
            .clone();
        let fields = db::desk::case_fields(&spec);
        let form = CaseForm {
            case_type: spec.name.clone(),
            title: self.title(),
            priority: [
                "low", "normal", "normal", "normal", "high", "high", "urgent",
            ][self.rng.usize(..7)]
            .to_owned(),
            fields: self.values(&fields, None, false),
        };
        let id = self
            .desk
            .open_case(&opener, &form)
            .await
            .with_context(|| format!("opening a {} case", spec.name))?;
        self.tally.opened.fetch_add(1, Ordering::Relaxed);
        // A live case stops somewhere along its way; a closing one is
        // answered to its end (a loop of decisions is cut off at twelve).
        let answers = if self.closes { 12 } else { self.rng.usize(..3) };
        for _ in 0..answers {
            let Some(task) = self.next_task(&id).await? else {
                self.tally.closed.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            };
            self.answer(&task).await?;
        }
        Ok(())
    }

    /// The case's pending task once it has arrived, or `None` once the
    /// case has ended.
    async fn next_task(&self, id: &str) -> anyhow::Result<Option<Task>> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut wait = Duration::from_millis(2);
        loop {
            let open = db::tasks::open_for_case(&self.desk.pool, id).await?;
            if let Some(task) = open.into_iter().find(|t| t.status == TaskStatus::Pending) {
                return Ok(Some(task));
            }
            let case = db::cases::get(&self.desk.pool, id)
                .await?
                .context("a case vanished")?;
            if !case.status.is_live() {
                return Ok(None);
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "case {id} waited a minute for its next task"
            );
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_millis(50));
        }
    }

    /// Answers `task` as the first of the users in random order whom the
    /// step lets act.
    async fn answer(&mut self, task: &Task) -> anyhow::Result<()> {
        let step = self.desk.step_of(task)?;
        let mut candidates = self.people.everyone.clone();
        self.rng.shuffle(&mut candidates);
        let mut actor = None;
        for user in candidates {
            if self.desk.refusal(&user, task, &step).await?.is_none() {
                actor = Some(user);
                break;
            }
        }
        let actor = actor.with_context(|| format!("nobody may answer {}", step.state))?;
        let fields = FieldView::of_form(&step.form);
        let assignee = step.assigns_case.as_deref().map(|key| {
            let name = if actor.role == Role::Operator {
                actor.name.clone()
            } else {
                self.operator()
            };
            (key.to_owned(), name)
        });
        let values = self.values(&fields, assignee.clone(), false);
        let answered = match self.desk.submit(&actor, &task.id, &values).await {
            // A field left empty may be required by another's value.
            Err(db::Error::Fields(_)) => {
                let values = self.values(&fields, assignee, true);
                self.desk.submit(&actor, &task.id, &values).await
            }
            other => other,
        };
        answered.with_context(|| format!("answering {} of case {}", step.state, task.case_id))?;
        self.tally.answers.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn operator(&mut self) -> String {
        self.rng
            .choice(&self.people.operators)
            .map_or_else(String::new, |u| u.name.clone())
    }

    fn title(&mut self) -> String {
        let subject = SUBJECTS[self.rng.usize(..SUBJECTS.len())];
        let problem = PROBLEMS[self.rng.usize(..PROBLEMS.len())];
        if self.rng.bool() {
            format!("{subject} {} {problem}", self.rng.u32(1000..9999))
        } else {
            format!("{subject} {problem}")
        }
    }

    fn sentences(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| SENTENCES[self.rng.usize(..SENTENCES.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Typed text for every field (some optional ones left empty unless
    /// `all`), as a person would fill the form; `fixed` sets one field.
    fn values(
        &mut self,
        fields: &[FieldView],
        fixed: Option<(String, String)>,
        all: bool,
    ) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for f in fields {
            if !all && !f.required && self.rng.u8(..10) < 3 {
                continue;
            }
            let text = match f.kind {
                FieldKind::Text => self.short_text(f),
                FieldKind::LongText => {
                    let n = self.rng.usize(1..4);
                    self.sentences(n)
                }
                FieldKind::Number => self.number(f, false),
                FieldKind::Money => {
                    if let Some(currency) = self.rng.choice(&f.currencies) {
                        out.insert(currency_key(&f.name), currency.clone());
                    }
                    self.number(f, true)
                }
                FieldKind::Date => {
                    format!("2026-{:02}-{:02}", self.rng.u8(1..=12), self.rng.u8(1..=28))
                }
                FieldKind::DateTime => format!(
                    "2026-{:02}-{:02}T{:02}:{:02}",
                    self.rng.u8(1..=12),
                    self.rng.u8(1..=28),
                    self.rng.u8(8..18),
                    self.rng.u8(..60)
                ),
                FieldKind::Choice => self
                    .rng
                    .choice(&f.options)
                    .map_or_else(String::new, |o| value_text(&o.value)),
                FieldKind::User => self.operator(),
                FieldKind::YesNo => if self.rng.bool() { "yes" } else { "no" }.to_owned(),
            };
            out.insert(f.name.clone(), fit(f, text));
        }
        if let Some((key, value)) = fixed {
            out.insert(key, value);
        }
        out
    }

    fn short_text(&mut self, f: &FieldView) -> String {
        let name = f.name.to_ascii_lowercase();
        if name.contains("ref") {
            let company = COMPANIES[self.rng.usize(..COMPANIES.len())];
            let prefix = if name.contains("order") {
                "ORD"
            } else {
                company
            };
            format!("{prefix}-{}", self.rng.u32(1..10_000))
        } else if name.contains("system") {
            SYSTEMS[self.rng.usize(..SYSTEMS.len())].to_owned()
        } else {
            let subject = SUBJECTS[self.rng.usize(..SUBJECTS.len())];
            format!("{subject} {}", self.rng.u32(1..1000))
        }
    }

    /// A number within the field's bounds (an amount with cents).
    fn number(&mut self, f: &FieldView, cents: bool) -> String {
        let low = f.min.unwrap_or(1.0).max(0.0);
        let high = f.max.unwrap_or(low + 2000.0).min(low + 5000.0).max(low);
        let n = low + self.rng.f64() * (high - low);
        if cents && !f.integer {
            format!("{:.2}", (n * 100.0).floor() / 100.0)
        } else {
            format!("{}", n.floor().max(low.ceil()).min(high))
        }
    }
}

/// `text` within the field's length bounds.
fn fit(f: &FieldView, mut text: String) -> String {
    if let Some(max) = f.max_length.and_then(|m| usize::try_from(m).ok())
        && let Some((cut, _)) = text.char_indices().nth(max)
    {
        text.truncate(cut);
    }
    if let Some(min) = f.min_length.and_then(|m| usize::try_from(m).ok()) {
        while text.chars().count() < min {
            text.push('.');
        }
    }
    text
}
