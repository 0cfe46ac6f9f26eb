//! Marketplace refund exports, for the days the marketplace's interface is down: Taobao's
//! refund report (退款报表) read by its headers, or any CSV through a column mapping. Each
//! row is one refund (退款编号) of one order; bad rows are reported with line and column and
//! left out, the rest imported.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::reader::{Column, CsvFile, Row};
use super::{EncodingChoice, ImportError, RowError};
use crate::domain::after_sales::{CaseStatus, taobao_refund_status};
use crate::store::ImportedRefund;

/// A field of a refund row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundField {
    RefundNo,
    OrderNo,
    Amount,
    Status,
    GoodsBack,
    Reason,
    Note,
    AppliedAt,
    ReturnTracking,
}

impl RefundField {
    pub const ALL: [RefundField; 9] = [
        RefundField::RefundNo,
        RefundField::OrderNo,
        RefundField::Amount,
        RefundField::Status,
        RefundField::GoodsBack,
        RefundField::Reason,
        RefundField::Note,
        RefundField::AppliedAt,
        RefundField::ReturnTracking,
    ];

    fn required(self) -> bool {
        matches!(
            self,
            RefundField::RefundNo
                | RefundField::OrderNo
                | RefundField::Amount
                | RefundField::Status
        )
    }

    /// The headers of Taobao's refund report (older and newer wordings).
    fn taobao_names(self) -> &'static [&'static str] {
        match self {
            RefundField::RefundNo => &["退款编号", "退款单号"],
            RefundField::OrderNo => &["订单编号", "订单号"],
            RefundField::Amount => &["买家退款金额", "退款金额", "买家申请退款金额"],
            RefundField::Status => &["退款状态"],
            RefundField::GoodsBack => &["是否需要退货", "是否退货", "买家是否需要退货"],
            RefundField::Reason => &["退款原因"],
            RefundField::Note => &["退款说明"],
            RefundField::AppliedAt => &["退款的申请时间", "申请时间", "退款申请时间"],
            RefundField::ReturnTracking => &["退货运单号", "退货物流单号", "买家退货物流单号"],
        }
    }
}

/// A saved mapping for another marketplace's refund CSV: which header holds which field.
/// Statuses are read as ShopDesk's status codes (`open`, `waiting_return`, `refunded`,
/// `rejected`…) or Taobao's wording.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundMapping {
    #[serde(default)]
    pub name: String,
    pub columns: Vec<(RefundField, String)>,
}

/// The refunds read and the rows left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefundFile {
    pub refunds: Vec<ImportedRefund>,
    pub rejected: Vec<RowError>,
    /// The amount column's header, for a refund the store refuses.
    pub amount_column: String,
    /// The order number column's header, for a refund of an order not in the database.
    pub order_column: String,
}

/// Reads a refund export: Taobao's headers, or `mapping`'s.
pub fn read_refunds(
    path: &Path,
    mapping: Option<&RefundMapping>,
) -> Result<RefundFile, ImportError> {
    let mut file = CsvFile::open(path, EncodingChoice::Auto)?;
    let names: Vec<Vec<&str>> = RefundField::ALL
        .iter()
        .map(|field| match mapping {
            Some(m) => m
                .columns
                .iter()
                .filter(|(f, _)| f == field)
                .map(|(_, h)| h.as_str())
                .collect(),
            None => field.taobao_names().to_vec(),
        })
        .collect();
    let mut missing = Vec::new();
    let columns: Vec<Option<Column>> = RefundField::ALL
        .iter()
        .zip(&names)
        .map(|(field, names)| {
            let found = file.find(names);
            if found.is_none() && field.required() {
                missing.push(
                    names
                        .first()
                        .map_or_else(|| format!("{field:?}"), |n| (*n).to_owned()),
                );
            }
            found
        })
        .collect();
    if !missing.is_empty() {
        let hint = mapping.is_none().then(|| {
            "a Taobao refund report (退款报表) is expected; map another layout's columns with \
             --mapping"
                .to_owned()
        });
        return Err(file.missing(missing, hint));
    }
    let column = |field: RefundField| {
        RefundField::ALL
            .iter()
            .position(|f| *f == field)
            .and_then(|i| columns[i].as_ref())
    };
    let headers = file.headers.clone();
    let encoding = file.encoding;
    let mut out = RefundFile {
        amount_column: column(RefundField::Amount)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        order_column: column(RefundField::OrderNo)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        ..RefundFile::default()
    };
    // Each refund number's first line: a number twice in one file is a bad row.
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut record = csv::StringRecord::new();
    while file.next(&mut record, &|_| true, 0)? {
        if record.iter().all(|c| super::cells::clean(c).is_empty()) {
            continue;
        }
        let mut row = Row::new(file.place(), &record);
        row.check_record(&headers, encoding);
        let refund_no = row.exact_number(column(RefundField::RefundNo), "refund number");
        let order_no = row
            .convert(column(RefundField::OrderNo), |cell| {
                super::cells::order_number(cell, false).map(str::to_owned)
            })
            .unwrap_or_default();
        let amount = row.convert(column(RefundField::Amount), super::cells::money);
        let goods_back = matches!(
            super::cells::clean(row.raw(column(RefundField::GoodsBack))),
            "是" | "需要" | "yes" | "Yes" | "1" | "true"
        );
        let status = row.convert(column(RefundField::Status), |cell| {
            let cell = super::cells::clean(cell);
            taobao_refund_status(cell, goods_back)
                .or_else(|| CaseStatus::from_code(cell))
                .ok_or_else(|| {
                    format!(
                        "{cell:?} is not a refund status: expected 退款成功, 退款关闭, \
                         买家已经申请退款，等待卖家同意, 卖家已经同意退款，等待买家退货, \
                         买家已经退货，等待卖家确认收货, 卖家拒绝退款 or a status code"
                    )
                })
        });
        let applied_at = match column(RefundField::AppliedAt) {
            Some(c) => row
                .convert(Some(c), |cell| {
                    super::cells::optional_datetime(cell, 8 * 60).map(Option::unwrap_or_default)
                })
                .unwrap_or_default(),
            None => String::new(),
        };
        let return_tracking =
            row.exact_number(column(RefundField::ReturnTracking), "tracking number");
        // Every bad cell is said, an empty refund number too (once: a number refused in
        // scientific notation already has its error).
        let name = column(RefundField::RefundNo)
            .map_or("", |c| c.name.as_str())
            .to_owned();
        if refund_no.is_empty() && !row.errors.iter().any(|e| e.column == name) {
            row.error(&name, "expected the refund number".to_owned());
        }
        if !refund_no.is_empty() {
            match seen.get(&refund_no) {
                Some(first) => {
                    row.error(
                        &name,
                        format!("refund {refund_no} is on line {first} already"),
                    );
                }
                None => {
                    seen.insert(refund_no.clone(), row.line);
                }
            }
        }
        if row.errors.is_empty()
            && let (Some(amount), Some(status)) = (amount, status)
        {
            out.refunds.push(ImportedRefund {
                line: row.line,
                refund_no,
                order_no,
                amount_cents: amount,
                status,
                goods_back,
                reason: reason_code(&row.text(column(RefundField::Reason))).to_owned(),
                note: row.text(column(RefundField::Note)),
                applied_at: if applied_at.is_empty() {
                    crate::store::now_text()
                } else {
                    applied_at
                },
                return_tracking,
            });
        } else {
            out.rejected.append(&mut row.errors);
        }
    }
    Ok(out)
}

/// Reads a marketplace's reason wording into one of the default reason codes.
fn reason_code(text: &str) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["7天无理由", "七天无理由", "不想要", "拍错", "多拍"]) {
        "no_reason_7day"
    } else if has(&["质量"]) {
        "quality"
    } else if has(&["发错", "错发", "与描述不符", "不符"]) {
        "wrong_item"
    } else if has(&["少件", "漏发", "缺件"]) {
        "missing_item"
    } else if has(&["破损", "损坏"]) {
        if has(&["包装"]) {
            "damaged_by_packing"
        } else {
            "damaged_in_transit"
        }
    } else if has(&["尺码", "颜色", "大小", "尺寸"]) {
        "size_colour"
    } else if has(&["未收到", "没收到", "未到", "物流"]) {
        "not_received"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAOBAO: &str = "订单编号,退款编号,买家会员名,买家实际支付金额,买家退款金额,是否需要退货,退款的申请时间,退款状态,退款原因,退款说明,退货运单号\n\
=\"4021558800112\",=\"R8801\",tb_买家,100.00,20.00,否,2026-11-25 10:00:00,退款成功,质量问题,杯子有裂纹,\n\
=\"4021558800113\",=\"R8802\",tb_b,50.00,50.00,是,2026-11-26 09:00:00,\"买家已经退货，等待卖家确认收货\",7天无理由退换货,,YT123456789\n\
=\"4021558800114\",,tb_c,50.00,abc,否,2026-11-26 09:00:00,退款中,其他,,\n";

    #[test]
    fn a_taobao_refund_report_in_gbk() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("退款报表.csv");
        let (gbk, _, _) = encoding_rs::GBK.encode(TAOBAO);
        std::fs::write(&path, &gbk).expect("write");
        let file = read_refunds(&path, None).expect("read");
        let got: Vec<(&str, &str, i64, CaseStatus, bool, &str)> = file
            .refunds
            .iter()
            .map(|r| {
                (
                    r.refund_no.as_str(),
                    r.order_no.as_str(),
                    r.amount_cents,
                    r.status,
                    r.goods_back,
                    r.reason.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "R8801",
                    "4021558800112",
                    2_000,
                    CaseStatus::Refunded,
                    false,
                    "quality"
                ),
                (
                    "R8802",
                    "4021558800113",
                    5_000,
                    CaseStatus::WaitingReturn,
                    true,
                    "no_reason_7day"
                ),
            ]
        );
        assert_eq!(file.refunds[1].return_tracking, "YT123456789");
        let errors: Vec<String> = file.rejected.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors.iter().all(|e| e.contains(":4: column ")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("column 买家退款金额")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("column 退款状态") && e.contains("退款中")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("column 退款编号")),
            "{errors:?}"
        );
    }

    #[test]
    fn another_layout_through_a_mapping_and_a_missing_column() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("refunds.csv");
        std::fs::write(&path, "order,refund,amount,state\nA1,F1,12.50,refunded\n").expect("write");
        let err = read_refunds(&path, None).unwrap_err().to_string();
        assert!(err.contains("missing column(s) 退款编号"), "{err}");
        assert!(err.contains("--mapping"), "{err}");
        let mapping: RefundMapping = serde_json::from_str(
            r#"{"name":"wx","columns":[["order_no","order"],["refund_no","refund"],["amount","amount"],["status","state"]]}"#,
        )
        .expect("mapping");
        let file = read_refunds(&path, Some(&mapping)).expect("read");
        assert_eq!(file.refunds.len(), 1);
        assert_eq!(file.refunds[0].amount_cents, 1_250);
        assert_eq!(file.refunds[0].status, CaseStatus::Refunded);
    }

    #[test]
    fn reasons() {
        for (text, code) in [
            ("7天无理由退换货", "no_reason_7day"),
            ("质量问题", "quality"),
            ("卖家发错货", "wrong_item"),
            ("少件/漏发", "missing_item"),
            ("快递破损", "damaged_in_transit"),
            ("包装破损", "damaged_by_packing"),
            ("尺码拍错", "no_reason_7day"),
            ("颜色不喜欢", "size_colour"),
            ("未收到货", "not_received"),
            ("其他", "other"),
        ] {
            assert_eq!(reason_code(text), code, "{text}");
        }
    }
}
