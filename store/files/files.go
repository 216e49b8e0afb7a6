// Package files keeps attachment contents behind a small interface, with a
// filesystem implementation, and decides which contents are accepted: the
// type is detected from the bytes (net/http.DetectContentType, and the
// parts list of a zip for office documents), never taken from the name.
package files

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"chuyenhoa/domain"
)

// MaxSize is the largest attachment accepted: 20 MB.
const MaxSize = 20 << 20

// Store keeps the contents of attachments under opaque keys.
type Store interface {
	// Put stores everything r yields under key. EINVALID for a malformed key.
	Put(ctx context.Context, key string, r io.Reader) error
	// Open returns the contents stored under key; ENOTFOUND when absent.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
}

// Dir is a Store in a directory of the local filesystem: each key is a
// file under a two-character fan-out directory.
type Dir struct {
	Root string
}

var keyRE = regexp.MustCompile(`^[0-9a-f]{32,128}$`)

func (d Dir) path(key string) (string, error) {
	if !keyRE.MatchString(key) {
		return "", domain.Errorf(domain.EINVALID, "khóa tệp không hợp lệ")
	}
	return filepath.Join(d.Root, key[:2], key), nil
}

// Put implements Store: it writes to a temporary file and renames it into
// place, so a reader never sees half a file.
func (d Dir) Put(ctx context.Context, key string, r io.Reader) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Open implements Store.
func (d Dir) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, domain.NotFound("Tệp đính kèm")
	}
	return f, err
}

// Delete implements Store.
func (d Dir) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Office Open XML types, told apart by the parts a document's zip holds.
const (
	TypeDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypeText = "text/plain; charset=utf-8"
)

// allowed lists the sniffed types accepted as they are.
var allowed = map[string]bool{
	"application/pdf": true,
	"image/png":       true,
	"image/jpeg":      true,
	"image/gif":       true,
	"image/webp":      true,
	"image/bmp":       true,
	TypeText:          true,
}

// extensions lists, per accepted type, the file extensions that name it;
// the first is the one a download carries.
var extensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg", ".jpe"},
	"image/gif":       {".gif"},
	"image/webp":      {".webp"},
	"image/bmp":       {".bmp"},
	TypeText:          {".txt", ".csv", ".md"},
	TypeDocx:          {".docx"},
	TypeXlsx:          {".xlsx"},
	TypePptx:          {".pptx"},
	TypeODT:           {".odt"},
	TypeODS:           {".ods"},
}

// NameForType returns name with an extension of contentType: its own when
// it already names that type (case-insensitively: "Ảnh.JPEG" stays),
// otherwise the type's canonical extension in place of whatever the
// uploader wrote ("bienban.hta" with PDF content → "bienban.pdf"), so a
// download never carries an extension the operating system would run.
// An unknown type gets ".bin".
func NameForType(name, contentType string) string {
	exts := extensions[contentType]
	ext := filepath.Ext(name)
	if ext != "" && slices.Contains(exts, strings.ToLower(ext)) {
		return name
	}
	stem := strings.TrimRight(strings.TrimSuffix(name, ext), ". ")
	if stem == "" {
		stem = "tep-dinh-kem"
	}
	if len(exts) == 0 {
		return stem + ".bin"
	}
	return stem + exts[0]
}

// DetectType returns the content type of the size bytes of r, judged by
// content, or EINVALID naming "file" when the type is not accepted: PDF,
// images, office documents (zip packages of Word, Excel, PowerPoint or
// OpenDocument) and UTF-8 text.
func DetectType(r io.ReaderAt, size int64) (string, error) {
	head := make([]byte, 512)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return "", err
	}
	if n == 0 {
		return "", domain.FieldErrors{"file": domain.MsgFileEmpty()}.Invalid("Tệp rỗng")
	}
	ct := http.DetectContentType(head[:n])
	if allowed[ct] {
		return ct, nil
	}
	if ct == "application/zip" {
		if t := officeType(r, size); t != "" {
			return t, nil
		}
	}
	return "", domain.FieldErrors{"file": domain.MsgFileType(strings.SplitN(ct, ";", 2)[0])}.Invalid("Loại tệp không được chấp nhận")
}

// officeType recognises an Office Open XML or OpenDocument package by its parts.
func officeType(r io.ReaderAt, size int64) string {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return ""
	}
	var types bool
	var kind string
	for _, f := range z.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(f.Name, "word/"):
			kind = TypeDocx
		case strings.HasPrefix(f.Name, "xl/"):
			kind = TypeXlsx
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = TypePptx
		case f.Name == "mimetype":
			rc, err := f.Open()
			if err != nil {
				continue
			}
			b, _ := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			switch string(b) {
			case TypeODT, TypeODS:
				return string(b)
			}
		}
	}
	if types {
		return kind
	}
	return ""
}
