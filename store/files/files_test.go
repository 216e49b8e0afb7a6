package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"testing"

	"chuyenhoa/domain"
	"chuyenhoa/store/files"
)

func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range parts {
		// DetectType reads the whole list of parts, so their order does not matter.
		f, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, body)
	}
	z.Close()
	return b.Bytes()
}

func TestDetectType(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content []byte
		want    string // "" means refused
	}{
		{"pdf", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "image/png"},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg"},
		{"text", []byte("Biên bản họp tổ dân phố số 5"), files.TypeText},
		{"docx", zipOf(t, map[string]string{"[Content_Types].xml": "x", "word/document.xml": "x"}), files.TypeDocx},
		{"xlsx", zipOf(t, map[string]string{"[Content_Types].xml": "x", "xl/workbook.xml": "x"}), files.TypeXlsx},
		{"pptx", zipOf(t, map[string]string{"[Content_Types].xml": "x", "ppt/presentation.xml": "x"}), files.TypePptx},
		{"odt", zipOf(t, map[string]string{"mimetype": files.TypeODT, "content.xml": "x"}), files.TypeODT},
		{"plain zip", zipOf(t, map[string]string{"a.txt": "x"}), ""},
		{"html named pdf", []byte("<html><body>x</body></html>"), ""},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), ""},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), ""},
		{"empty", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := files.DetectType(bytes.NewReader(tc.content), int64(len(tc.content)))
			if tc.want == "" {
				if domain.ErrorCode(err) != domain.EINVALID {
					t.Errorf("type %q, err %v; want refused", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("= %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestDir(t *testing.T) {
	ctx := context.Background()
	d := files.Dir{Root: t.TempDir()}
	key := "0123456789abcdef0123456789abcdef"
	if err := d.Put(ctx, key, bytes.NewReader([]byte("nội dung"))); err != nil {
		t.Fatal(err)
	}
	rc, err := d.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "nội dung" {
		t.Errorf("read %q", b)
	}
	if err := d.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, key); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("open after delete: %v", err)
	}
	for _, bad := range []string{"../../etc/passwd", "", "ABC", "0123/../x"} {
		if err := d.Put(ctx, bad, bytes.NewReader(nil)); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("Put(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestNameForType(t *testing.T) {
	for _, tc := range []struct{ name, ct, want string }{
		{"Biên bản họp.pdf", "application/pdf", "Biên bản họp.pdf"},
		{"bienban.hta", "application/pdf", "bienban.pdf"},
		{"bienban.pdf.exe", "application/pdf", "bienban.pdf.pdf"},
		{"Ảnh.JPEG", "image/jpeg", "Ảnh.JPEG"},
		{"anh.png", "image/jpeg", "anh.jpg"},
		{"bao-cao", files.TypeDocx, "bao-cao.docx"},
		{"so-lieu.xls", files.TypeXlsx, "so-lieu.xlsx"},
		{"ghi-chu.txt", files.TypeText, "ghi-chu.txt"},
		{"ghi-chu.html", files.TypeText, "ghi-chu.txt"},
		{".hta", "application/pdf", "tep-dinh-kem.pdf"},
		{"x.pdf", "application/x-unknown", "x.bin"},
	} {
		if got := files.NameForType(tc.name, tc.ct); got != tc.want {
			t.Errorf("NameForType(%q, %q) = %q, want %q", tc.name, tc.ct, got, tc.want)
		}
	}
}
