//! JSON: the contract of design §7. One report is an object, several an array.

use crate::report::Report;

/// Write the JSON straight to `w` (standard output), without holding the whole text: a
/// report of a million components is several hundred megabytes of JSON.
pub fn write(reports: &[Report], w: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
    if reports.len() == 1 {
        serde_json::to_writer_pretty(&mut *w, &reports[0])
    } else {
        serde_json::to_writer_pretty(&mut *w, reports)
    }
    .map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

pub fn render(reports: &[Report]) -> String {
    let mut out = Vec::new();
    write(reports, &mut out).expect("the report model always serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
