package api

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/files"
)

func (s *Server) registerAttachmentRoutes() {
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/attachments", Permission: "attachment:write", Tag: "attachments",
		Summary: "Upload evidence (multipart: file, owner_type target_area|plan|task|progress_note, owner_id); at most 20 MB; PDF, images, Office/OpenDocument files or UTF-8 text, judged by content",
		Body:    "multipart", Response: "Attachment", Created: true, Handler: s.uploadAttachment})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/attachments", Permission: "attachment:read", Tag: "attachments",
		Summary: "List the attachments of one object that the caller's scope covers", Query: map[string]string{"owner_type": "target_area, plan, task or progress_note", "owner_id": "the object's id"},
		Response: "AttachmentList", Handler: s.listAttachments})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/attachments/:id", Permission: "attachment:read", Tag: "attachments",
		Summary: "Read an attachment's record; only when the caller's scope covers the owning unit", Response: "Attachment", Handler: s.getAttachment})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/attachments/:id/content", Permission: "attachment:read", Tag: "attachments",
		Summary: "Download an attachment's content; only when the caller's scope covers the owning unit", Handler: s.attachmentContent})
}

func attachmentSchemas() map[string]any {
	return map[string]any{
		"Attachment":     campaigns.Attachment{},
		"AttachmentList": ItemList[campaigns.Attachment]{},
	}
}

// cleanFileName keeps the base name of what the client called the file,
// at most 200 characters, without path separators, control characters or
// invisible format characters: a right-to-left override (U+202E) would
// show "bienban\u202Efdp.exe" as "bienbanexe.pdf".
func cleanFileName(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '\\' || r == '/':
			return '/'
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '"', r == utf8.RuneError:
			return -1
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = filepath.Base(name)
	if r := []rune(strings.TrimSpace(name)); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	if name = strings.TrimSpace(name); name == "" || name == "." || name == ".." || name == "/" {
		name = "tep-dinh-kem"
	}
	return name
}

// contentDisposition names a download for every browser: an ASCII
// fallback (Vietnamese letters without their marks, anything else "_") in
// filename and the exact UTF-8 name in filename* (RFC 6266, RFC 8187).
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			ascii.WriteByte('d')
		case r == 'Đ':
			ascii.WriteByte('D')
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	var ext strings.Builder
	const attrChar = "!#$&+-.^_`|~"
	for _, b := range []byte(name) {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte(attrChar, b) >= 0 {
			ext.WriteByte(b)
		} else {
			fmt.Fprintf(&ext, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}

func (s *Server) uploadAttachment(c echo.Context) error {
	if _, _, err := caller(c.Request().Context()); err != nil {
		return err
	}
	fe := domain.FieldErrors{}
	ownerType := c.FormValue("owner_type")
	ownerID, perr := strconv.ParseInt(c.FormValue("owner_id"), 10, 64)
	if ownerType == "" {
		fe.Add("owner_type", "Phải là target_area, plan, task hoặc progress_note")
	}
	if perr != nil || ownerID <= 0 {
		fe.Add("owner_id", "Phải là số nguyên dương")
	}
	fh, ferr := c.FormFile("file")
	if ferr != nil {
		fe.AddMsg("file", domain.MsgFileMissing())
	} else if fh.Size > files.MaxSize {
		fe.AddMsg("file", domain.MsgFileTooLarge(cleanFileName(fh.Filename)))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	up, err := readUpload(fh)
	if err != nil {
		return err
	}
	defer up.Close()
	a, err := s.attachCmd(c.Request().Context(), up, ownerType, ownerID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

func (s *Server) listAttachments(c echo.Context) error {
	ownerType := c.QueryParam("owner_type")
	ownerID, err := queryID(c, "owner_id")
	if err != nil {
		return err
	}
	if ownerType == "" || ownerID == nil {
		return domain.Invalid("Thiếu tham số", map[string]string{"owner_type": "Cần owner_type và owner_id"})
	}
	list, err := campaigns.FindAttachments(c.Request().Context(), s.opts.DB, ownerType, *ownerID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, items(list))
}

func (s *Server) getAttachment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a, err := campaigns.FindAttachmentByID(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) attachmentContent(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := campaigns.FindAttachmentByID(ctx, s.opts.DB, id)
	if err != nil {
		return err
	}
	rc, err := s.files.Open(ctx, a.StorageKey)
	if err != nil {
		return err
	}
	defer rc.Close()
	hd := c.Response().Header()
	// Names stored before uploads were renamed by type are cleaned here too.
	hd.Set(echo.HeaderContentDisposition, contentDisposition(files.NameForType(cleanFileName(a.Name), a.ContentType)))
	hd.Set(echo.HeaderXContentTypeOptions, "nosniff")
	hd.Set(echo.HeaderContentLength, strconv.FormatInt(a.Size, 10))
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	return c.Stream(http.StatusOK, a.ContentType, rc)
}
