package api

import "testing"

func TestCleanFileName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Biên bản họp.pdf", "Biên bản họp.pdf"},
		{`C:\biên bản\Biên bản họp.pdf`, "Biên bản họp.pdf"},
		{"../../etc/passwd", "passwd"},
		{"bienban\u202Efdp.hta", "bienbanfdp.hta"},
		{"a\u200Bb\u2066c\uFEFF.pdf", "abc.pdf"},
		{"bien\x00ban\r\n.pdf", "bienban.pdf"},
		{"ten\t\"trich\"\u00a0x.pdf", "tentrich x.pdf"},
		{"bad\xffutf8.pdf", "badutf8.pdf"},
		{"..", "tep-dinh-kem"},
		{"\u202E", "tep-dinh-kem"},
	} {
		if got := cleanFileName(tc.in); got != tc.want {
			t.Errorf("cleanFileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bienban.pdf", `attachment; filename="bienban.pdf"; filename*=UTF-8''bienban.pdf`},
		{"Biên bản họp.pdf", `attachment; filename="Bien ban hop.pdf"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf`},
		{"Đội; x=1%.pdf", `attachment; filename="Doi_ x=1_.pdf"; filename*=UTF-8''%C4%90%E1%BB%99i%3B%20x%3D1%25.pdf`},
	} {
		if got := contentDisposition(tc.in); got != tc.want {
			t.Errorf("contentDisposition(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
