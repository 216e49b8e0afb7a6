package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// taskForm reads a task form: the values as typed, the input for the
// service and the messages of what the page itself parses (the date).
func (s *Server) taskForm(c echo.Context) (typed map[string]string, in campaigns.TaskInput, errs map[string]string) {
	typed, errs = map[string]string{}, map[string]string{}
	for _, k := range []string{"section", "title", "description", "responsible", "frequency", "due", "status"} {
		typed[k] = strings.TrimSpace(c.FormValue(k))
	}
	in = campaigns.TaskInput{Section: typed["section"], Title: typed["title"], Description: typed["description"],
		Responsible: typed["responsible"], Frequency: typed["frequency"], Status: typed["status"]}
	if typed["due"] != "" {
		d, msg := s.formDate(c, typed["due"])
		if msg != "" {
			errs["due"] = msg
		} else {
			in.Due = d
		}
	}
	if len(errs) > 0 {
		// The service is not asked while the date is wrong, so the other
		// fields are checked here: every error of the form shows at once.
		t := domain.Task{Section: in.Section, Title: in.Title, Description: in.Description, Responsible: in.Responsible, Frequency: in.Frequency, Status: in.Status}
		if de, ok := domain.ValidateTask(t, 0).(*domain.Error); ok {
			for k, v := range s.fieldMessages(c, de.FieldErrors(), s.taskLabels(c)) {
				if errs[k] == "" {
					errs[k] = v
				}
			}
		}
	}
	return typed, in, errs
}

// planTaskAdd adds a task to a draft or returned plan. The service checks
// it (title required, section, due date within the campaign year…) and a
// refused task comes back with the message next to its field.
func (s *Server) planTaskAdd(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	typed, in, errs := s.taskForm(c)
	refused := func(summary string, fields domain.FieldErrors) error {
		for k, v := range s.fieldMessages(c, fields, s.taskLabels(c)) {
			if errs[k] == "" {
				errs[k] = v
			}
		}
		return s.renderPlan(c, http.StatusBadRequest, planForms{summary: summary, task: typed, taskErrs: errs})
	}
	if len(errs) > 0 {
		return refused(s.t(c, "form.invalid"), nil)
	}
	t, err := s.addTaskCmd(c.Request().Context(), id, formVersion(c), in)
	if err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		return refused(summary, fields)
	}
	s.flash(c, "ok", s.t(c, "plan.task.added", "title", t.Title))
	return redirect(c, "/plans/"+itoa(id)+"#task-"+itoa(t.ID))
}
