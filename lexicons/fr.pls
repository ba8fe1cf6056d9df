<?xml version="1.0" encoding="UTF-8"?>
<!-- Names of the portal's pages as Moroccans say them in French. Edit freely: `qari lexicon check lexicons/fr.pls`,
     then reload a running daemon with SIGHUP. IPA (alphabet="ipa"), or eSpeak's own with alphabet="x-espeak". -->
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="fr">
  <lexeme><grapheme>Mohammed</grapheme><grapheme>Mohamed</grapheme><grapheme>Mohammad</grapheme><phoneme>mɔˈamɛd</phoneme></lexeme>
  <lexeme><grapheme>Ahmed</grapheme><phoneme>ˈamɛd</phoneme></lexeme>
  <lexeme><grapheme>Hassan</grapheme><phoneme>aˈsan</phoneme></lexeme>
  <lexeme><grapheme>Akhannouch</grapheme><phoneme>axaˈnuʃ</phoneme></lexeme>
  <lexeme><grapheme>watiqa</grapheme><grapheme>Watiqa</grapheme><phoneme>waˈtika</phoneme></lexeme>
  <lexeme><grapheme>Moudawana</grapheme><phoneme>mudaˈwana</phoneme></lexeme>
  <lexeme><grapheme>Lalla</grapheme><phoneme>ˈlala</phoneme></lexeme>
  <lexeme><grapheme>Amazigh</grapheme><phoneme>amaˈzig</phoneme></lexeme>
  <lexeme><grapheme>Tamazight</grapheme><phoneme>tamaˈzigt</phoneme></lexeme>
  <lexeme><grapheme>Maroc Digital 2030</grapheme><alias>Maroc Digital deux mille trente</alias></lexeme>
  <lexeme><grapheme>CNDP</grapheme><alias>C N D P</alias></lexeme>
  <lexeme><grapheme>ADD</grapheme><alias>Agence de développement du digital</alias></lexeme>
  <lexeme><grapheme>MTNRA</grapheme><alias>ministère de la Transition numérique et de la Réforme de l'administration</alias></lexeme>
</lexicon>
