//! Fuzz target: rendering any Application with the built-in definitions under small budgets
//! yields objects or a `RenderError`: never a panic, stack overflow, hang or runaway allocation.
//!
//! Two input forms share one corpus:
//! - text (any input not starting with a zero byte) is read as Application YAML or JSON, which
//!   exercises the YAML reader and the Application model as well as the templates;
//! - a zero byte followed by arbitrary bytes drives a structured generator that always builds a
//!   well-formed Application over the built-in component and trait types, with properties made
//!   of names and words taken from the templates themselves, so most inputs reach the templates'
//!   evaluation instead of being rejected by the YAML reader.
#![no_main]

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::Duration;

use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;
use ferrocue_oam::{Application, Renderer};
use libfuzzer_sys::arbitrary::{Result as ArbResult, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Per template evaluation, like the eval target's but with room for the larger built-in
/// templates (webservice with every trait stays far below these).
fn limits() -> Limits {
    Limits {
        max_depth: 100,
        max_steps: 1_000_000,
        max_nodes: u64::MAX,
        // About 109,000 estimated vertices: far below libFuzzer's 2 GiB RSS limit.
        max_memory: 128 << 20,
        max_disjuncts: 10_000,
        max_output_bytes: 1 << 20,
        timeout: Some(Duration::from_secs(2)),
    }
}

/// The renderer's timeout covers one template evaluation, not a whole render (a known,
/// documented gap): an application with hundreds of components may legitimately take
/// hundreds of budgets. Only applications within this many evaluations are rendered, so a
/// libFuzzer timeout always means one evaluation overran its budget.
const MAX_EVALUATIONS: usize = 12;

struct Fixture {
    renderer: Renderer,
    components: Vec<String>,
    traits: Vec<String>,
    /// Identifiers and words of every template: likely parameter names and enum values.
    words: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        // The built-in definitions are compiled into the crate and checked by its tests.
        let mut renderer = Renderer::builtin().expect("built-in definitions load");
        *renderer.limits_mut() = limits();
        let defs = renderer.definitions();
        let components: Vec<String> = defs.components.keys().cloned().collect();
        let traits: Vec<String> = defs.traits.keys().cloned().collect();
        let mut words = BTreeSet::new();
        for d in defs.components.values().chain(defs.traits.values()) {
            for w in d
                .template
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .filter(|w| w.len() >= 2)
            {
                words.insert(w.to_string());
            }
        }
        Fixture {
            renderer,
            components,
            traits,
            words: words.into_iter().collect(),
        }
    })
}

fn evaluations(app: &Application) -> usize {
    app.components.iter().map(|c| 1 + c.traits.len()).sum()
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let app = match data.split_first() {
        Some((0, rest)) => match structured(f, &mut Unstructured::new(rest)) {
            Ok(d) => Application::from_data(&d),
            Err(_) => return,
        },
        _ => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            Application::from_yaml("fuzz.yaml", text)
        }
    };
    let Ok(app) = app else { return };
    if evaluations(&app) > MAX_EVALUATIONS {
        return;
    }
    // Objects or an error; the render must also not leave a budget error unreported as data.
    let _ = f.renderer.render(&app);
});

/// A well-formed Application: 1–3 components of built-in types, each with up to 3 traits.
fn structured(f: &Fixture, u: &mut Unstructured) -> ArbResult<Data> {
    let mut components = Vec::new();
    for i in 0..u.int_in_range(1..=3)? {
        let mut comp = Map::new();
        comp.insert("name".into(), Data::string(format!("c{i}")));
        comp.insert(
            "type".into(),
            Data::string(u.choose(&f.components)?.clone()),
        );
        comp.insert("properties".into(), properties(f, u)?);
        let mut traits = Vec::new();
        for _ in 0..u.int_in_range(0..=3)? {
            traits.push(Data::map([
                ("type", Data::string(u.choose(&f.traits)?.clone())),
                ("properties", properties(f, u)?),
            ]));
        }
        if !traits.is_empty() {
            comp.insert("traits".into(), Data::list(traits));
        }
        components.push(Data::Map(comp));
    }
    Ok(Data::map([
        ("apiVersion", Data::string("core.oam.dev/v1beta1")),
        ("kind", Data::string("Application")),
        ("metadata", Data::map([("name", Data::string("fuzz"))])),
        ("spec", Data::map([("components", Data::list(components))])),
    ]))
}

/// A properties map: a few fields named like template identifiers.
fn properties(f: &Fixture, u: &mut Unstructured) -> ArbResult<Data> {
    let mut m = Map::new();
    for _ in 0..u.int_in_range(0..=6)? {
        m.insert(key(f, u)?, value(f, u, 3)?);
    }
    Ok(Data::Map(m))
}

fn key(f: &Fixture, u: &mut Unstructured) -> ArbResult<String> {
    Ok(if u.ratio(7, 8)? {
        u.choose(&f.words)?.clone()
    } else {
        // Quotes, newlines, `#`, `$` and non-ASCII must survive the trip into CUE.
        u.arbitrary::<String>()?
    })
}

fn value(f: &Fixture, u: &mut Unstructured, depth: u32) -> ArbResult<Data> {
    let top = if depth == 0 { 6 } else { 8 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Data::Null,
        1 => Data::Bool(u.arbitrary()?),
        2 => Data::int(*u.choose(&[0, 1, -1, 80, 8080, 65536, i64::MAX, i64::MIN])?),
        3 => Data::int(u.arbitrary()?),
        4 => Data::float(*u.choose(&["0.5", "1.5", "-2.25", "1e+100", "1e-7", "3.0"])?),
        5 => Data::string(u.choose(&f.words)?.clone()),
        6 => Data::string(u.arbitrary::<String>()?),
        7 => {
            let n = u.int_in_range(0..=4)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(value(f, u, depth - 1)?);
            }
            Data::list(items)
        }
        _ => {
            let mut m = Map::new();
            for _ in 0..u.int_in_range(0..=4)? {
                m.insert(key(f, u)?, value(f, u, depth - 1)?);
            }
            Data::Map(m)
        }
    })
}
