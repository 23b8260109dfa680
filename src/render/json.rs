//! JSON: the contract of design §7. One report is an object, several an array.

use crate::report::Report;

pub fn render(reports: &[Report]) -> String {
    let mut s = if reports.len() == 1 {
        serde_json::to_string_pretty(&reports[0])
    } else {
        serde_json::to_string_pretty(reports)
    }
    .expect("the report model always serialises");
    s.push('\n');
    s
}
