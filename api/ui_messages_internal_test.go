package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/files"
)

// TestFieldMessageEnglish words the messages the services really write
// (their keys and arguments) on an English page, and checks that a
// Vietnamese page shows the service's text unchanged.
func TestFieldMessageEnglish(t *testing.T) {
	s := &Server{web: web.MustNew()}
	ctxFor := func(lang string) echo.Context {
		req := httptest.NewRequest("GET", "/", nil)
		req = req.WithContext(identity.NewContextWithUser(context.Background(), &identity.User{Lang: lang}))
		return echo.New().NewContext(req, httptest.NewRecorder())
	}
	field := func(err error, name string) domain.Msg {
		t.Helper()
		de, ok := err.(*domain.Error)
		if !ok || de.Fields[name] == "" {
			t.Fatalf("no message for %s in %v", name, err)
		}
		return de.FieldMsg(name)
	}
	_, typeErr := files.DetectType(strings.NewReader("<!DOCTYPE html><html></html>"), 28)
	for _, tc := range []struct {
		name, label string
		msg         domain.Msg
		want        string
	}{
		{"required", "Task title", field(domain.ValidateTask(domain.Task{Section: "2.1"}, 2024), "title"), "Task title: required."},
		{"due year", "Due date", field(domain.ValidateTask(domain.Task{Section: "2.1", Title: "x", Due: domain.Date{Year: 2025, Month: 1, Day: 2}}, 2024), "due"),
			"Due date: 02/01/2025 must fall within the campaign year 2024."},
		{"section", "Section", field(domain.ValidateTask(domain.Task{Section: "9", Title: "x"}, 2024), "section"), "Section: choose one of the listed values."},
		{"too long", "Task title", field(domain.ValidateTask(domain.Task{Section: "2.1", Title: strings.Repeat("a", 2000)}, 2024), "title"), "Task title: longer than"},
		{"negative", "Members", field(domain.ValidateModel(domain.SelfManagementModel{Name: "x", Type: domain.ModelOther, MembersCount: -1}, domain.Date{}), "members_count"),
			"Members: must not be negative."},
		{"future", "Established on", field(domain.ValidateModel(domain.SelfManagementModel{Name: "x", Type: domain.ModelOther,
			EstablishedOn: domain.Date{Year: 2030, Month: 1, Day: 1}}, domain.Date{Year: 2024, Month: 3, Day: 1}), "established_on"), "Established on: 01/01/2030 is in the future."},
		{"phone", "Phone", field(domain.ValidateCommitteeMember(domain.CommitteeMember{FullName: "x", Position: "member", Phone: "abc"}), "phone"), "Phone: 10 digits for a mobile"},
		{"file type", "Evidence file", field(typeErr, "file"), "Evidence file: files of type “text/html” are not accepted"},
		{"count", "Households", domain.MsgNotCount("Số hộ dân trên địa bàn"), "Households: must be a whole number, 0 or more."},
		{"unknown stays Vietnamese", "Households", domain.Msg{Text: "Số hộ (5) không được lớn hơn số hộ dân (3)"}, "Số hộ (5) không được lớn hơn số hộ dân (3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.fieldMessage(ctxFor("en"), tc.label, tc.msg); !strings.HasPrefix(got, tc.want) {
				t.Errorf("en: %q → %q, want %q", tc.msg.Text, got, tc.want)
			}
			if got := s.fieldMessage(ctxFor("vi"), tc.label, tc.msg); got != tc.msg.Text {
				t.Errorf("vi: %q → %q, want it unchanged", tc.msg.Text, got)
			}
		})
	}
}
