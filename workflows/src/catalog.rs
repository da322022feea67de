//! Loading case types from a workflows folder: each `<dir>/<name>/` holds
//! `<name>.asl.json` (plain ASL with `${...}` substitutions) and
//! `<name>.case.json` (the sidecar). Both are checked together; see
//! [`check`](crate::check) for what is refused.

use std::fmt;
use std::path::{Path, PathBuf};

use casetype::CaseType;
use serde_json::Value;

use crate::check;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The case type cannot be used.
    Error,
    /// Probably a mistake; the case type still loads.
    Warning,
}

/// Something wrong with a case type: in which file, at which field, and a
/// plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file it is in.
    pub file: PathBuf,
    /// Where in the file (`steps[1].form.schema`), or empty for the file.
    pub field: String,
    /// What is wrong, and how to fix it when that is clear.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.file.display())?;
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A case type that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedType {
    /// The sidecar.
    pub spec: CaseType,
    /// The definition's text, with its `${...}` substitutions.
    pub definition: String,
    /// The definition, parsed.
    pub asl: Value,
    /// The `.asl.json` file.
    pub asl_file: PathBuf,
    /// The sidecar file.
    pub sidecar_file: PathBuf,
}

/// Every case type of a workflows folder, and the warnings they gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    /// The case types, by name.
    pub types: Vec<LoadedType>,
    /// Problems that did not stop a type from loading.
    pub warnings: Vec<Problem>,
}

impl Catalog {
    /// The case type named `name`.
    pub fn get(&self, name: &str) -> Option<&LoadedType> {
        self.types.iter().find(|t| t.spec.name == name)
    }
}

/// The case types could not be loaded: every problem found, errors and
/// warnings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct LoadError {
    /// What was found.
    pub problems: Vec<Problem>,
}

/// The workflows folder that ships with Stepdesk.
pub fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Loads every case type under `dir` (each sub-folder with a sidecar),
/// sorted by name; any error refuses the whole folder.
pub fn load_dir(dir: &Path) -> Result<Catalog, LoadError> {
    let mut problems = Vec::new();
    let mut types = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError {
        problems: vec![error(dir, "", format!("cannot read the folder: {e}"))],
    })?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && sidecar_of(p).is_file())
        .collect();
    folders.sort();
    for folder in folders {
        let (loaded, found) = load_type(&folder);
        problems.extend(found);
        types.extend(loaded);
    }
    if types.is_empty() && problems.is_empty() {
        problems.push(error(
            dir,
            "",
            "no case types here: each needs a folder <name>/ with <name>.asl.json and <name>.case.json".into(),
        ));
    }
    problems.extend(check::catalog(&types));
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(LoadError { problems });
    }
    Ok(Catalog {
        types,
        warnings: problems,
    })
}

fn sidecar_of(folder: &Path) -> PathBuf {
    let name = folder.file_name().unwrap_or_default().to_string_lossy();
    folder.join(format!("{name}.case.json"))
}

/// Loads the case type in `folder`: the type when it has no error, and
/// every problem found.
pub fn load_type(folder: &Path) -> (Option<LoadedType>, Vec<Problem>) {
    let sidecar_file = sidecar_of(folder);
    let name = folder.file_name().unwrap_or_default().to_string_lossy();
    let asl_file = folder.join(format!("{name}.asl.json"));
    let read = |file: &Path| {
        std::fs::read_to_string(file).map_err(|e| error(file, "", format!("cannot read it: {e}")))
    };
    match (read(&asl_file), read(&sidecar_file)) {
        (Ok(asl), Ok(sidecar)) => {
            let (loaded, mut problems) = check::case_type(&asl_file, &asl, &sidecar_file, &sidecar);
            if let Some(t) = &loaded
                && t.spec.name != name
            {
                problems.push(error(
                    &sidecar_file,
                    "name",
                    format!(
                        "the name {:?} must be the folder's name, {name:?}",
                        t.spec.name
                    ),
                ));
                return (None, problems);
            }
            (loaded, problems)
        }
        (asl, sidecar) => (
            None,
            [asl.err(), sidecar.err()].into_iter().flatten().collect(),
        ),
    }
}

/// An error at `field` of `file`.
pub(crate) fn error(file: &Path, field: &str, message: String) -> Problem {
    Problem {
        file: file.to_path_buf(),
        field: field.to_owned(),
        message,
        severity: Severity::Error,
    }
}

/// A warning at `field` of `file`.
pub(crate) fn warning(file: &Path, field: &str, message: String) -> Problem {
    Problem {
        severity: Severity::Warning,
        ..error(file, field, message)
    }
}
