import Testing

@testable import QariServer

/// The reader button's modules join into one classic script, or the join says why not.
@Suite struct WidgetBundleTests {
    static func failure(_ sources: [String: String]) -> String? {
        do {
            _ = try WidgetBundle.join(sources)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Comment lines are the sources' own: what pages load has none (but the join's own markers).
    @Test func modulesComeAfterWhatTheyImportWithoutImportsOrExports() throws {
        let script = try WidgetBundle.join([
            "a.js": "import { b } from './b.js';\nimport {\n  c\n} from './c.js';\nb(c);\n",
            "b.js": "import { c } from './c.js';\nexport function b(x) { return x; }\n",
            "c.js": "// c, a comment line\nexport const c = 1;\n  /** own's doc */\nfunction own() {} // kept\n",
        ])
        #expect(
            script == """
                /* Qari's reader button: Public/qari/*.js joined in the order of their imports. */
                (function () {
                'use strict';
                // --- c.js
                const c = 1;
                function own() {} // kept
                // --- b.js
                function b(x) { return x; }
                // --- a.js
                b(c);
                })();

                """)
    }

    @Test func anImportCycleIsRefused() {
        let error = Self.failure([
            "player.js": "import { c } from './controls.js';\nexport function p() { c(); }\n",
            "controls.js": "import { p } from './player.js';\nexport function c() { p(); }\n",
            "main.js": "import { p } from './player.js';\np();\n",
        ])
        #expect(error == "an import cycle among controls.js, main.js, player.js")
    }

    @Test func aNameTheModuleDoesNotExportIsRefused() {
        let error = Self.failure([
            "a.js": "import { hidden } from './b.js';\nhidden();\n", "b.js": "function hidden() {}\n",
        ])
        #expect(error == "a.js imports hidden from b.js, which does not export it")
        #expect(
            Self.failure(["a.js": "import { x } from './gone.js';\n"])
                == "a.js imports ./gone.js, which does not exist")
    }

    @Test func twoModulesWithTheSameTopLevelNameAreRefused() {
        let error = Self.failure(["a.js": "function step() {}\n", "b.js": "export const step = 2;\n"])
        #expect(error == "a.js and b.js both declare step at top level")
    }

    @Test func importsAndExportsTheJoinCannotResolveAreRefused() {
        #expect(Self.failure(["a.js": "import { x as y } from './b.js';\n", "b.js": "export const x = 1;\n"]) != nil)
        #expect(Self.failure(["a.js": "import * as b from './b.js';\n", "b.js": "export const x = 1;\n"]) != nil)
        #expect(Self.failure(["a.js": "export default 1;\n"]) != nil)
        #expect(Self.failure(["a.js": "const x = 1;\nexport { x };\n"]) != nil)
    }
}
