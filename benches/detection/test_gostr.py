"""Tests of the Go string evaluator on fixtures written here (python3 -m unittest, from this
directory). The fixture imitates the shapes of detector tests; its values are made up."""

import unittest

import gostr

FIXTURE = r'''
package demo

var (
	validPattern   = "abcd1234" + "EFGH"
	invalidPattern = `raw\n` + "x"
	keyword        = "demo"
)

const secretName string = "tok"

func TestDemo_Pattern(t *testing.T) {
	local := fmt.Sprintf("%s-%d-%q", keyword, 7, "q")
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{
			name:  "valid pattern",
			input: fmt.Sprintf("%s %s = '%s'", keyword, secretName, validPattern),
			want:  []string{validPattern},
		},
		{
			name:  "invalid pattern",
			input: invalidPattern + local,
			want:  []string{},
		},
		{
			name:  "nil want",
			input: strings.Repeat("ab", 3) + "\x41\u00e9",
			want:  nil,
		},
		{
			name:  "unknown helper",
			input: makeToken(),
			want:  []string{"x"},
		},
		{
			name:  "nested literal",
			input: "outer",
			want:  []detectors.Result{{Raw: []byte("x")}},
		},
	}
}
'''


class GoStrTest(unittest.TestCase):
    def setUp(self):
        self.cases = list(gostr.Evaluator(FIXTURE).cases())

    def test_cases_and_labels(self):
        ok = [(n, v, w) for n, v, w in self.cases if not isinstance(w, Exception)]
        self.assertEqual(ok[0], ("valid pattern", "demo tok = 'abcd1234EFGH'", True))
        self.assertEqual(ok[1], ("invalid pattern", 'raw\\nxdemo-7-"q"', False))
        self.assertEqual(ok[2], ("nil want", "abababA\u00e9", False))
        self.assertEqual(ok[3], ("nested literal", "outer", True))
        self.assertEqual(len(ok), 4)

    def test_unsupported_is_reported_not_guessed(self):
        bad = [w for n, v, w in self.cases if isinstance(w, Exception)]
        self.assertEqual(len(bad), 1)
        self.assertIsInstance(bad[0], gostr.Unsupported)

    def test_unquote(self):
        self.assertEqual(gostr.unquote(r'"a\tb\"c\\"'), 'a\tb"c\\')
        self.assertEqual(gostr.unquote("`a\\tb`"), "a\\tb")
        with self.assertRaises(gostr.Unsupported):
            gostr.unquote(r'"\z"')

    def test_sprintf(self):
        self.assertEqual(gostr.sprintf("%s=%d%%", ["k", 5]), "k=5%")
        self.assertEqual(gostr.sprintf("%-4s|", ["ab"]), "ab  |")
        with self.assertRaises(gostr.Unsupported):
            gostr.sprintf("%s %s", ["one"])


if __name__ == "__main__":
    unittest.main()
