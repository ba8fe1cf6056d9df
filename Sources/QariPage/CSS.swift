/// CSS: a tokenizer following CSS Syntax Level 3 (§4), and the rule structure built from its tokens (§5,
/// simplified: qualified rules, at-rules with blocks, declarations).
public enum CSS {}
