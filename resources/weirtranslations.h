#pragma once

// Weir's English plural forms: its source text is English written as the plural
// ("%n streams"), and this translation gives each count its form ("1 stream",
// "2 streams"). Installed for every locale: for an English one it is the translation,
// for any other it is what a message without a translation of its own falls back to.
// Returns false when the embedded translation could not be loaded.
bool installWeirTranslations();
