package api_test

import (
	"io"
	"regexp"
	"testing"
)

// regexpFind returns the first group of pattern in s, or "".
func regexpFind(pattern, s string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if len(m) < 2 {
		return ""
	}
	return m[1]
}

// testLogOutput sends the server's warnings and errors to the test log.
func testLogOutput(t testing.TB) io.Writer {
	if tt, ok := t.(interface{ Output() io.Writer }); ok {
		return tt.Output()
	}
	return io.Discard
}
