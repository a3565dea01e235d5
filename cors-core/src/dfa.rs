//! What the regex analyses share: a user's regex, or one of their own shapes, as a dense
//! DFA with bounded size, and the state an anchored walk starts from.

use regex_automata::dfa::Automaton;
use regex_automata::dfa::{StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::Hir;

/// A dense DFA that owns its tables.
pub(crate) type Dfa = dense::DFA<Vec<u32>>;

/// The most memory one analysis DFA may take (an origin regex's takes a few kilobytes).
pub(crate) const DFA_LIMIT: usize = 2 << 20;

/// Every match of an anchored search, `\b` for ASCII (a non-ASCII byte next to one is a
/// quit state), at most [`DFA_LIMIT`] bytes.
pub(crate) fn dfa_config() -> dense::Config {
    dense::Config::new()
        .match_kind(MatchKind::All)
        .start_kind(StartKind::Anchored)
        .unicode_word_boundary(true)
        .dfa_size_limit(Some(DFA_LIMIT))
        .determinize_size_limit(Some(DFA_LIMIT))
}

/// A user's regex as a DFA, reading forwards or backwards.
pub(crate) fn user_dfa(hir: &Hir, reverse: bool) -> Result<Dfa, String> {
    user_dfa_many(std::slice::from_ref(hir), reverse)
}

/// Several regexes as one DFA whose match states say which of them match (pattern `i` is
/// `hirs[i]`).
pub(crate) fn user_dfa_many(hirs: &[Hir], reverse: bool) -> Result<Dfa, String> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(DFA_LIMIT))
                .which_captures(thompson::WhichCaptures::None)
                .reverse(reverse),
        )
        .build_many_from_hir(hirs)
        .map_err(|e| e.to_string())?;
    dense::Builder::new()
        .configure(dfa_config())
        .build_from_nfa(&nfa)
        .map_err(|e| e.to_string())
}

/// The state an anchored walk starts from.
pub(crate) fn start(dfa: &Dfa, reverse: bool) -> Result<StateID, String> {
    let input = Input::new("").anchored(Anchored::Yes);
    if reverse {
        dfa.start_state_reverse(&input)
    } else {
        dfa.start_state_forward(&input)
    }
    .map_err(|e| e.to_string())
}
