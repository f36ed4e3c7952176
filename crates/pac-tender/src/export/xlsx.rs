//! XLSX workbooks: the compliance matrix (with a Yes/No/Partly list in the bidder's column) and
//! a comparison of bids.

use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

use super::ExportError;
use super::csv::{MATRIX_HEADER, matrix_rows};
use crate::compare::Comparison;
use crate::pack::Pack;

fn err(e: XlsxError) -> ExportError {
    ExportError::new("xlsx", e)
}

/// The compliance matrix as a workbook with one sheet, "Compliance matrix".
pub fn matrix(pack: &Pack) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Compliance matrix").map_err(err)?;
    for (c, h) in MATRIX_HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    let widths = [12.0, 20.0, 9.0, 8.0, 60.0, 40.0, 50.0, 16.0, 50.0, 30.0];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(err)?;
    }
    let rows = matrix_rows(pack);
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            if c == 3 && !value.is_empty() {
                let w: f64 = value.parse().unwrap_or(0.0);
                sheet.write_number(r, c as u16, w).map_err(err)?;
            } else {
                sheet
                    .write_string_with_format(r, c as u16, value, &wrap)
                    .map_err(err)?;
            }
        }
    }
    if !rows.is_empty() {
        let answers = DataValidation::new()
            .allow_list_strings(&["Yes", "No", "Partly"])
            .map_err(err)?;
        sheet
            .add_data_validation(1, 7, rows.len() as u32, 7, &answers)
            .map_err(err)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// Bids side by side, as the CSV comparison, in one sheet "Comparison".
pub fn comparison(c: &Comparison) -> Result<Vec<u8>, ExportError> {
    let text = super::csv::comparison(c)?;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Comparison").map_err(err)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ExportError::new("xlsx", e))?;
        for (col, value) in record.iter().enumerate() {
            if r == 0 {
                sheet
                    .write_string_with_format(0, col as u16, value, &bold)
                    .map_err(err)?;
            } else {
                sheet
                    .write_string(r as u32, col as u16, value)
                    .map_err(err)?;
            }
        }
    }
    sheet.set_column_width(0, 14.0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}
