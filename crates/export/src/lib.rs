//! Finished values to JSON and YAML, as `cue export` prints them.
