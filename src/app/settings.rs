//! The shop as a whole: the overview the status bar and empty states show, the settings,
//! and the sample shop.

use crate::domain::OrderState;
use crate::store::{DemoSummary, OrderQuery, Settings, Store};

use super::{Changed, Result, Tick};

/// Counts the window shows without asking again every frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    pub products: i64,
    pub orders: i64,
    /// Orders merged into another order: counted in `orders`, listed inside their main
    /// order.
    pub merged: i64,
    /// Orders per state, in `OrderState::ALL` order.
    pub by_state: Vec<(OrderState, i64)>,
    /// The platform codes the orders come from (the Orders tab's platform filter).
    pub platforms: Vec<String>,
}

impl Overview {
    pub fn count(&self, state: OrderState) -> i64 {
        self.by_state
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(0, |(_, n)| *n)
    }
}

/// The counts of products and orders, and of orders per state.
pub fn overview(store: &Store) -> Result<Overview> {
    let (products, orders) = store.counts()?;
    let mut by_state = Vec::new();
    for state in OrderState::ALL {
        let n = store.count_orders(&OrderQuery {
            state: Some(state),
            ..OrderQuery::default()
        })?;
        by_state.push((state, n));
    }
    Ok(Overview {
        products,
        orders,
        merged: store.merged_count()?,
        by_state,
        platforms: store.platforms()?,
    })
}

/// Fills an empty database with the deterministic sample shop (seed 1 in the window).
pub fn load_sample_shop(
    store: &mut Store,
    orders: u64,
    seed: u64,
    tick: Tick<'_>,
) -> Result<DemoSummary> {
    let now = chrono::Local::now().fixed_offset();
    Ok(store.load_demo(orders, seed, now, &mut |n| tick(n))?)
}

/// What the window asks of the shop as a whole.
#[derive(Debug)]
pub enum Request {
    Overview,
    Save(Box<Settings>),
}

/// The answers to [`Request`]s, and the end of the sample-shop job.
#[derive(Debug)]
pub enum Reply {
    Overview(Overview, Box<Settings>),
    Saved(Box<Settings>),
    SampleShopLoaded(DemoSummary),
}

impl Reply {
    pub fn changed(&self) -> Changed {
        match self {
            Reply::Saved(_) => Changed::SETTINGS | Changed::STOCK | Changed::ORDERS,
            Reply::SampleShopLoaded(_) => Changed::ALL,
            Reply::Overview(..) => Changed::NOTHING,
        }
    }
}

/// Answers one request.
pub fn handle(store: &mut Store, operator: &str, request: Request) -> Result<Reply> {
    Ok(match request {
        Request::Overview => Reply::Overview(overview(store)?, Box::new(store.settings()?)),
        Request::Save(settings) => {
            store.save_settings_by(&settings, operator)?;
            Reply::Saved(Box::new(store.settings()?))
        }
    })
}

impl Request {
    /// What the request needs the operator to be allowed to do (`None`: a read).
    pub fn action(&self) -> Option<crate::domain::operators::Action> {
        match self {
            Request::Save(_) => Some(crate::domain::operators::Action::Settings),
            Request::Overview => None,
        }
    }
}
