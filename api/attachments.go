package api

import (
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

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
// without control characters, at most 200 characters.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	if r := []rune(strings.TrimSpace(name)); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	if name = strings.TrimSpace(name); name == "" || name == "." || name == "/" {
		name = "tep-dinh-kem"
	}
	return name
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
		fe.Add("file", "Chọn một tệp để tải lên")
	} else if fh.Size > files.MaxSize {
		fe.Add("file", fmt.Sprintf("Tệp %s lớn hơn giới hạn 20 MB", cleanFileName(fh.Filename)))
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
	hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	hd.Set(echo.HeaderContentLength, strconv.FormatInt(a.Size, 10))
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	return c.Stream(http.StatusOK, a.ContentType, rc)
}
