//! CSV order import: marketplace exports → validated [`NewOrder`]s plus every rejected row
//! with its file, line, column and reason. Parsing only; the store writes.

use crate::domain::model::NewOrder;
