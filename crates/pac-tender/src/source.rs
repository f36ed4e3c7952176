//! Where the contracts a pack names come from. Offline (`pac tender check`), only files beside the
//! pack ([`PackFiles`]); the catalogue's store supplies `{slug, version}` contracts through its own
//! [`ContractSource`].

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use pac_spec::{Description, Limits};

use crate::pack::{Check, Code, ContractRef, MAX_PACK_BYTES, Pack, PackError};

/// A contract found: its name for reports, and its description.
#[derive(Debug, Clone)]
pub struct Contract {
    pub name: String,
    pub description: Description,
}

/// Why a contract cannot be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
    pub code: Code,
    pub message: String,
}

/// Finds the contracts that `contract` requirements name.
pub trait ContractSource {
    fn contract(&self, reference: &ContractRef) -> Result<Contract, ContractError>;
}

/// Contract files relative to the pack's folder; no store, so `{slug, version}` is refused.
pub struct PackFiles {
    pub dir: PathBuf,
    pub limits: Limits,
}

impl ContractSource for PackFiles {
    fn contract(&self, reference: &ContractRef) -> Result<Contract, ContractError> {
        match reference {
            ContractRef::File { file } => {
                let path = self.dir.join(file);
                let description =
                    pac_spec::input::load_file(&path, &self.limits).map_err(|e| ContractError {
                        code: Code::TenderContractUnreadable,
                        message: format!("the contract {file} cannot be read: {e}"),
                    })?;
                if description.operations.is_empty() {
                    return Err(ContractError {
                        code: Code::TenderContractUnreadable,
                        message: format!(
                            "the contract {file} has no operations: there is nothing to implement"
                        ),
                    });
                }
                Ok(Contract {
                    name: file.clone(),
                    description,
                })
            }
            ContractRef::Stored { slug, version } => Err(ContractError {
                code: Code::TenderContractNotAvailable,
                message: format!(
                    "the contract {slug} {version} is in the catalogue, and this check runs without it: \
                     give the contract as {{file: PATH}} beside the pack, or evaluate the bid in the catalogue"
                ),
            }),
        }
    }
}

/// A pack with the contracts its requirements name, ready to evaluate bids against.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub pack: Pack,
    /// By requirement id.
    pub contracts: BTreeMap<String, Contract>,
}

/// Finds every contract of `pack` in `source`; `file` names the pack in errors.
pub fn resolve(pack: Pack, file: &str, source: &dyn ContractSource) -> Result<Resolved, PackError> {
    let mut contracts = BTreeMap::new();
    for (i, r) in pack.requirements.iter().enumerate() {
        let Check::Contract(reference) = &r.check else {
            continue;
        };
        let contract = source.contract(reference).map_err(|e| {
            let mut err = PackError::new(
                e.code,
                file,
                format!("/requirements/{i}/contract"),
                e.message,
            );
            err.requirement = Some(r.id.clone());
            err.line = r.line.and_then(|l| u32::try_from(l).ok());
            err
        })?;
        contracts.insert(r.id.clone(), contract);
    }
    Ok(Resolved { pack, contracts })
}

/// Reads a pack file offline: its text (bounded), its shape, its rules against `standard`, and its
/// contract files beside it.
pub fn load(
    path: &Path,
    standard: &pac_lint::Ruleset,
    limits: &Limits,
) -> Result<Resolved, PackError> {
    let file = path.display().to_string();
    let text = read_bounded(path)
        .map_err(|message| PackError::new(Code::TenderPackUnreadable, &file, "", message))?;
    let pack = Pack::parse(&file, &text)?;
    pack.check_rules(&file, standard)?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    resolve(
        pack,
        &file,
        &PackFiles {
            dir,
            limits: limits.clone(),
        },
    )
}

fn read_bounded(path: &Path) -> Result<String, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    let mut bytes = Vec::new();
    f.take(MAX_PACK_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.len() > MAX_PACK_BYTES {
        return Err(format!("a pack may be at most {MAX_PACK_BYTES} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned())
}
