<?xml version="1.0" encoding="UTF-8"?>
<!-- Names on the portal's Amazigh pages, for every Amazigh voice (zgh, and the varieties shi, tzm, rif, which also
     read a lexicon of their own xml:lang). Tifinagh spells names of Arabic origin without some of their vowels, so
     the reading rules give ⴰⵅⵏⵏⵓⵛ as "axnnuʃ"; an entry says the name. Edit freely: `qari lexicon check
     lexicons/zgh.pls`, then reload a running daemon with SIGHUP. IPA (alphabet="ipa"), or Qari's Amazigh eSpeak
     mnemonics with alphabet="x-espeak". -->
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="zgh">
  <lexeme><grapheme>ⵎⵓⵃⵎⵎⴷ</grapheme><grapheme>ⵎⵓⵃⴰⵎⵎⴷ</grapheme><phoneme>muħamːad</phoneme></lexeme>
  <lexeme><grapheme>ⴰⵅⵏⵏⵓⵛ</grapheme><phoneme>axanːuʃ</phoneme></lexeme>
  <lexeme><grapheme>ⵄⵣⵉⵣ</grapheme><phoneme>ʕaziz</phoneme></lexeme>
  <lexeme><grapheme>ⵃⵙⵏ</grapheme><phoneme>ħasan</phoneme></lexeme>
  <lexeme><grapheme>ⴰⵃⵎⴷ</grapheme><phoneme>aħmad</phoneme></lexeme>
  <lexeme><grapheme>ⵢⵓⵙⴼ</grapheme><phoneme>jusuf</phoneme></lexeme>
  <lexeme><grapheme>IRCAM</grapheme><grapheme>ⵉⵔⴽⴰⵎ</grapheme><phoneme>irkam</phoneme></lexeme>
</lexicon>
