//! The words of the Manual order tab, English and 简体中文 side by side.

use crate::ui::i18n::texts;

texts! {
    /// A text of the Manual order tab; one the other tabs use too is a [`crate::ui::i18n::T`].
    pub enum Tx {
        ManualOrderEmpty => (
            "Manual orders (offline sales, reshipments) are entered here: search products, \
             add them to the cart, enter the receiver, mark payment received.",
            "手动订单（线下销售、补发）在这里录入：搜索商品、加入购物车、填写收货人、确认到款。",
        ),
    }
}
