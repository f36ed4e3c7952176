//! Descriptions built to exhaust a careless reader: reference graphs that are deep, wide, circular,
//! combinatorial or spread over many files. Each is small (well under 1 MB) and valid, so every
//! engine must read, lint and compare it in bounded time and memory. Tests build them in memory;
//! `cargo run --example adversarial -- DIR` writes them out for measuring the command line.

use std::fmt::Write as _;
use std::path::Path;

/// One description: its files (relative path, text), the root first.
pub struct Fixture {
    pub name: &'static str,
    /// What it stresses.
    pub what: &'static str,
    pub files: Vec<(String, String)>,
}

impl Fixture {
    pub fn root(&self) -> &str {
        &self.files[0].0
    }

    /// Writes the files under `dir/<name>/`; returns the root file's path.
    pub fn write(&self, dir: &Path) -> std::io::Result<std::path::PathBuf> {
        let base = dir.join(self.name);
        for (path, text) in &self.files {
            let full = base.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&full, text)?;
        }
        Ok(base.join(self.root()))
    }

    /// The same description with one more required property deep inside: a breaking change for
    /// callers that send it, to give `diff` something to find at the bottom of the graph.
    pub fn changed(&self) -> Fixture {
        let mut files = self.files.clone();
        let (_, last) = files.last_mut().expect("a fixture has files");
        *last = last.replacen("DEEPEST: {type: string}", "DEEPEST: {type: integer}", 1);
        Fixture {
            name: self.name,
            what: self.what,
            files,
        }
    }
}

/// Every adversarial fixture.
pub fn all() -> Vec<Fixture> {
    vec![
        deep_circular(30),
        wide_graph(60),
        combinatorial(40),
        long_chain(3_000),
        nested_chain(3_000),
        many_files(400),
        diamonds(24),
    ]
}

const OPENAPI_HEAD: &str = "openapi: 3.0.3\ninfo: {title: Adversarial, version: 1.0.0}\n";

/// A Swagger 2.0 response schema nested `levels` deep, each level naming a schema in another file,
/// the deepest pointing back at the top: one inline schema that contains itself.
pub fn deep_circular(levels: usize) -> Fixture {
    let mut doc = String::from(
        "swagger: '2.0'\ninfo: {title: Deep circular, version: 1.0.0}\npaths:\n  /family-tree:\n    get:\n      responses:\n        200:\n          description: A deep tree\n          schema:\n",
    );
    let mut indent = 12;
    for level in 1..=levels {
        let pad = " ".repeat(indent);
        let _ = write!(
            doc,
            "{pad}type: object\n{pad}required: [name]\n{pad}properties:\n{pad}  name: {{$ref: definitions/name.yaml}}\n{pad}  level{level}:\n"
        );
        indent += 4;
    }
    let pad = " ".repeat(indent);
    let _ = writeln!(
        doc,
        "{pad}$ref: '#/paths/~1family-tree/get/responses/200/schema'"
    );
    Fixture {
        name: "deep-circular",
        what: "an inline schema 30 levels deep that refers to itself, with a file reference at each level",
        files: vec![
            ("deep-circular.yaml".into(), doc),
            (
                "definitions/name.yaml".into(),
                "type: object\nproperties:\n  first: {type: string}\n  DEEPEST: {type: string}\n"
                    .into(),
            ),
        ],
    }
}

/// `n` schemas, each with a property referring to every schema (n² references), all reachable
/// from one operation.
pub fn wide_graph(n: usize) -> Fixture {
    let mut doc = format!(
        "{OPENAPI_HEAD}paths:\n  /s:\n    post:\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/S0'}}}}}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/S0'}}}}}}}}\ncomponents:\n  schemas:\n"
    );
    for i in 0..n {
        let _ = write!(doc, "    S{i}:\n      type: object\n      properties:\n");
        for j in 0..n {
            let _ = writeln!(doc, "        p{j}: {{$ref: '#/components/schemas/S{j}'}}");
        }
    }
    doc.push_str("    DEEPEST: {type: string}\n");
    Fixture {
        name: "wide-graph",
        what: "60 schemas, each referring to all 60: 3,600 references in one strongly connected graph",
        files: vec![("openapi.yaml".into(), doc)],
    }
}

/// `depth` levels of `oneOf` over two `allOf`s of the next level: 2^depth ways down if expanded.
pub fn combinatorial(depth: usize) -> Fixture {
    let mut doc = format!(
        "{OPENAPI_HEAD}paths:\n  /c:\n    put:\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/C0'}}}}}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/C0'}}}}}}}}\ncomponents:\n  schemas:\n"
    );
    for k in 0..depth {
        let next = k + 1;
        let _ = write!(
            doc,
            "    C{k}:\n      oneOf:\n        - allOf: [{{$ref: '#/components/schemas/C{next}'}}, {{type: object, properties: {{a{k}: {{type: string}}}}}}]\n        - allOf: [{{$ref: '#/components/schemas/C{next}'}}, {{type: object, properties: {{b{k}: {{type: integer}}}}}}]\n"
        );
    }
    let _ = writeln!(
        doc,
        "    C{depth}:\n      anyOf: [{{$ref: '#/components/schemas/DEEPEST'}}, {{$ref: '#/components/schemas/DEEPEST'}}]"
    );
    doc.push_str("    DEEPEST: {type: string}\n");
    Fixture {
        name: "combinatorial",
        what: "40 levels of oneOf over allOf of the next level: 2^40 paths if expanded",
        files: vec![("openapi.yaml".into(), doc)],
    }
}

/// A reference to a reference to … `n` deep before reaching a schema.
pub fn long_chain(n: usize) -> Fixture {
    let mut doc = format!(
        "{OPENAPI_HEAD}paths:\n  /r:\n    get:\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/R0'}}}}}}}}\ncomponents:\n  schemas:\n"
    );
    for i in 0..n {
        let _ = writeln!(doc, "    R{i}: {{$ref: '#/components/schemas/R{}'}}", i + 1);
    }
    let _ = writeln!(
        doc,
        "    R{n}: {{type: object, properties: {{x: {{$ref: '#/components/schemas/DEEPEST'}}}}}}"
    );
    doc.push_str("    DEEPEST: {type: string}\n");
    Fixture {
        name: "long-chain",
        what: "a chain of 3,000 references to references before a schema",
        files: vec![("openapi.yaml".into(), doc)],
    }
}

/// `n` schemas, each an object whose one property refers to the next: a path `n` deep.
pub fn nested_chain(n: usize) -> Fixture {
    let mut doc = format!(
        "{OPENAPI_HEAD}paths:\n  /n:\n    post:\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/N0'}}}}}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/N0'}}}}}}}}\ncomponents:\n  schemas:\n"
    );
    for i in 0..n {
        let _ = writeln!(
            doc,
            "    N{i}: {{type: object, required: [next], properties: {{next: {{$ref: '#/components/schemas/N{}'}}}}}}",
            i + 1
        );
    }
    let _ = writeln!(doc, "    N{n}: {{$ref: '#/components/schemas/DEEPEST'}}");
    doc.push_str("    DEEPEST: {type: string}\n");
    Fixture {
        name: "nested-chain",
        what: "3,000 objects each holding the next: a schema 3,000 levels deep through references",
        files: vec![("openapi.yaml".into(), doc)],
    }
}

/// `n` operations in files of their own, each naming a schema file that names the next one.
pub fn many_files(n: usize) -> Fixture {
    let mut root = format!("{OPENAPI_HEAD}paths:\n");
    let mut files = Vec::new();
    for i in 0..n / 2 {
        let _ = writeln!(root, "  /items/{i}: {{$ref: 'paths/item{i}.yaml'}}");
        files.push((
            format!("paths/item{i}.yaml"),
            format!(
                "get:\n  operationId: getItem{i}\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {{$ref: '../schemas/s{i}.yaml'}}\n"
            ),
        ));
        files.push((
            format!("schemas/s{i}.yaml"),
            format!(
                "type: object\nproperties:\n  id: {{type: string}}\n  next: {{$ref: 's{}.yaml'}}\n",
                i + 1
            ),
        ));
    }
    files.push((
        format!("schemas/s{}.yaml", n / 2),
        "type: object\nproperties:\n  DEEPEST: {type: string}\n".into(),
    ));
    let mut all = vec![("openapi.yaml".to_string(), root)];
    all.extend(files);
    Fixture {
        name: "many-files",
        what: "200 path files and 201 schema files, each schema naming the next",
        files: all,
    }
}

/// `depth` levels where each schema refers to the next twice (diamonds): 2^depth ways down.
pub fn diamonds(depth: usize) -> Fixture {
    let mut doc = format!(
        "{OPENAPI_HEAD}paths:\n  /d:\n    post:\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/D0'}}}}}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/D0'}}}}}}}}\ncomponents:\n  schemas:\n"
    );
    for k in 0..depth {
        let _ = writeln!(
            doc,
            "    D{k}: {{type: object, properties: {{left: {{$ref: '#/components/schemas/D{n}'}}, right: {{$ref: '#/components/schemas/D{n}'}}}}, example: {{left: {{}}, right: {{}}}}}}",
            n = k + 1
        );
    }
    let _ = writeln!(
        doc,
        "    D{depth}: {{type: object, properties: {{leaf: {{$ref: '#/components/schemas/DEEPEST'}}}}}}"
    );
    doc.push_str("    DEEPEST: {type: string}\n");
    Fixture {
        name: "diamonds",
        what: "24 levels each referring to the next twice: 2^24 ways down if expanded",
        files: vec![("openapi.yaml".into(), doc)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_small_and_changeable() {
        for f in all() {
            let bytes: usize = f.files.iter().map(|(_, t)| t.len()).sum();
            assert!(bytes < 1 << 20, "{}: {bytes} bytes", f.name);
            let changed = f.changed();
            assert_ne!(
                changed.files.last().unwrap().1,
                f.files.last().unwrap().1,
                "{}: DEEPEST is in its last file",
                f.name
            );
        }
    }
}
