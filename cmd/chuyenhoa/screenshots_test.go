package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store"
)

// TestREADMEScreenshots takes the two screenshots of the README from the
// demo data: it runs `chuyenhoa seed demo`, serves it, and in headless
// chromium lets the demo district propose three more wards, the province
// approve them, the ward and the police of Nếnh fill the Q1 report (the
// form is photographed then), the district assess and accept it, and the
// province open the comparison (photographed). It runs only with
// CHUYENHOA_README_SCREENSHOTS=DIR (e.g. ../../docs).
func TestREADMEScreenshots(t *testing.T) {
	dir := os.Getenv("CHUYENHOA_README_SCREENSHOTS")
	if dir == "" {
		t.Skip("set CHUYENHOA_README_SCREENSHOTS=DIR to write the README screenshots")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	c := newCLI(t)
	out, _ := c.mustRun("seed", "demo")
	passwords := map[string]string{}
	for _, m := range passwordLine.FindAllStringSubmatch(out, -1) {
		passwords[m[1]] = m[2]
	}
	ctx := context.Background()
	db, err := store.Open(ctx, c.env["CHUYENHOA_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	enf, err := authz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.DefaultParams, 0)}
	now := time.Date(2024, time.March, 11, 2, 0, 0, 0, time.UTC)
	srv := api.New(api.Options{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Enforcer: enf,
		Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Now: func() time.Time { return now }})
	ts := httptest.NewServer(srv.Echo)
	defer ts.Close()

	actx, cancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1280, 1500),
		chromedp.UserDataDir(t.TempDir()))...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 5*time.Minute)
	defer cancel()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	open := func(path string) { t.Helper(); must(chromedp.Do(bctx, chromedp.Navigate(ts.URL+path))) }
	js := func(s string) { t.Helper(); _, err := chromedp.Run(bctx, chromedp.Evaluate[any](s)); must(err) }
	fill := func(id, v string) {
		t.Helper()
		js(`document.getElementById(` + strconv.Quote(id) + `).value = ""`)
		must(chromedp.Do(bctx, chromedp.SendKeys(chromedp.ID(id), v)))
	}
	click := func(sel string) {
		t.Helper()
		_, err := chromedp.RunResponse(bctx, chromedp.Click(chromedp.CSS(sel)))
		must(err)
	}
	login := func(user string) {
		t.Helper()
		open("/login")
		fill("username", user)
		fill("password", passwords[user])
		click("form[action='/login'] button[type=submit]")
	}
	logout := func() { t.Helper(); click("form[action='/logout'] button") }
	shot := func(name string) {
		t.Helper()
		js(`window.scrollTo(0, 0)`)
		png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		must(err)
		must(os.WriteFile(filepath.Join(dir, name), png, 0o644))
		t.Logf("wrote %s", filepath.Join(dir, name))
	}

	login("demo.huyen")
	open("/target-areas")
	js(`Array.from(document.querySelectorAll("input[name=unit_ids]")).slice(0, 4).forEach(function (b) { b.checked = true; })`)
	fill("reason", "Tình hình an ninh, trật tự phức tạp, nhiều vụ phạm pháp hình sự, tệ nạn xã hội")
	click("form[action='/target-areas/propose'] button[type=submit]")
	logout()

	login("demo.tinh")
	open("/target-areas?status=proposed")
	js(`document.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = true; })`)
	fill("decision_number", "415/QĐ-BCĐ")
	fill("decision_date", "05/03/2024")
	click("#approve-form button[type=submit]")
	logout()

	// The police enter the crime figures of Nếnh's Q1 report.
	login("demo.congan")
	open("/target-areas")
	var taHref string
	taHref, err = chromedp.Run(bctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("main table a")).find(function (a) { return a.textContent.indexOf("Nếnh") >= 0; }).getAttribute("href")`))
	must(err)
	report := taHref + "/reports/Q1"
	open(report)
	for id, v := range map[string]string{"v-tips_received": "24", "v-tips_processed": "24", "v-cases_initiated": "5", "v-cases_solved": "4",
		"v-serious_initiated": "1", "v-serious_solved": "1", "v-released_residing": "6", "v-reoffending": "0",
		"v-incidents_current": "14", "v-incidents_baseline": "31", "v-households": "2.140", "v-households_reached": "2.050"} {
		fill(id, v)
	}
	js(`document.getElementById("v-organised_crime").value = "false"`)
	click(`button[name=action][value=save]`)
	logout()

	// The ward fills its part; the form is photographed with one value refused.
	login("demo.xa")
	open(report)
	for id, v := range map[string]string{"v-models_active": "5", "v-models_effective": "7", "v-propaganda_sessions": "18", "v-patrols": "46"} {
		fill(id, v)
	}
	js(`document.getElementById("v-community_rules").value = "true"`)
	click(`button[name=action][value=save]`)
	js(`window.scrollTo(0, 0)`)
	png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	must(err)
	must(os.WriteFile(filepath.Join(dir, "screenshot-report-form.png"), png, 0o644))
	fill("v-models_effective", "4")
	click(`button[name=action][value=submit]`)
	logout()

	login("demo.huyen")
	open(report)
	js(`document.getElementById("assess-yes").checked = true`)
	fill("assess-note", "Cấp ủy, chính quyền, Mặt trận và các đoàn thể phường được kiện toàn, hoạt động đều")
	click("form[action$='/assess'] button[type=submit]")
	click("#accept-button")
	logout()

	login("demo.tinh")
	open("/compare?period=Q1")
	shot("screenshot-compare.png")
}
