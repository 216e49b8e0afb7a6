package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/store/campaigns"
)

// formUpload reads the optional file of a multipart form through the
// evidence rules (readUpload); nil when no file was chosen.
func (s *Server) formUpload(c echo.Context) (*upload, error) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 && fh.Filename == "" {
		return nil, nil
	}
	return readUpload(fh)
}

// taskNoteAdd records progress on a task with, optionally, a file as its
// evidence: both or neither are stored.
func (s *Server) taskNoteAdd(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.FormValue("text"))
	refused := func(err error) error {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		labels := map[string]string{"text": s.t(c, "task.note.text"), "file": s.t(c, "task.note.file")}
		return s.renderTask(c, http.StatusBadRequest, taskForms{summary: summary, note: text, noteErrs: s.fieldMessages(c, fields, labels)})
	}
	up, err := s.formUpload(c)
	if err != nil {
		return refused(err)
	}
	if up != nil {
		defer up.Close()
	}
	if _, _, err := s.addNoteCmd(c.Request().Context(), id, campaigns.ProgressNoteInput{Text: text}, up); err != nil {
		return refused(err)
	}
	s.flash(c, "ok", s.t(c, "task.note.added"))
	return redirect(c, "/tasks/"+itoa(id)+"#h-notes")
}
