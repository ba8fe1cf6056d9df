<?xml version="1.0" encoding="UTF-8"?>
<!-- Names of the portal's pages, with the vowels Moroccans say. `qari lexicon check lexicons/ar.pls`, then SIGHUP. -->
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="ar">
  <lexeme><grapheme>محمد السادس</grapheme><alias>مُحَمَّدٌ السَّادِسُ</alias></lexeme>
  <lexeme><grapheme>الحسن الثاني</grapheme><alias>الْحَسَنُ الثَّانِي</alias></lexeme>
  <lexeme><grapheme>أخنوش</grapheme><phoneme>ʔaxanˈnuʃ</phoneme></lexeme>
  <lexeme><grapheme>وثيقة</grapheme><alias>وَثِيقَة</alias></lexeme>
  <lexeme><grapheme>المغرب الرقمي 2030</grapheme><alias>الْمَغْرِبُ الرَّقْمِيُّ أَلْفَيْنِ وَثَلَاثِين</alias></lexeme>
  <lexeme><grapheme>ضد</grapheme><alias>ضِدَّ</alias></lexeme>
  <lexeme><grapheme>مدونة الأسرة</grapheme><alias>مُدَوَّنَةُ الْأُسْرَة</alias></lexeme>
</lexicon>
