//! Attribution on SBOMs made by the real generators (tests/fixtures/real).
