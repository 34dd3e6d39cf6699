package fakegithub

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// repoRoute splits "/repos/OWNER/NAME/code-scanning/REST".
func repoRoute(p string) (repo, rest string, ok bool) {
	p, ok = strings.CutPrefix(p, "/repos/")
	if !ok {
		return "", "", false
	}
	parts := strings.SplitN(p, "/", 4)
	if len(parts) != 4 || parts[2] != "code-scanning" {
		return "", "", false
	}
	return parts[0] + "/" + parts[1], parts[3], true
}

// alertsOf returns the alerts of a repository, nil when it has none.
func (f *Server) alertsOf(repo string) []map[string]any {
	if a, ok := f.RepoAlerts[repo]; ok {
		return a
	}
	if repo == "o/r" {
		return f.Alerts
	}
	return nil
}

func (f *Server) knownRepo(repo string) bool {
	if _, ok := f.RepoAlerts[repo]; ok || repo == "o/r" {
		return true
	}
	for _, repos := range f.Orgs {
		for _, r := range repos {
			if r == repo {
				return true
			}
		}
	}
	return false
}

// matches applies the listing's filters to an alert.
func matches(a map[string]any, r *http.Request) bool {
	q := r.URL.Query()
	inst, _ := a["most_recent_instance"].(map[string]any)
	rule, _ := a["rule"].(map[string]any)
	tool, _ := a["tool"].(map[string]any)
	state := q.Get("state")
	if state == "closed" {
		if a["state"] != "dismissed" && a["state"] != "fixed" {
			return false
		}
	} else if state != "" && a["state"] != state {
		return false
	}
	if q.Get("ref") != "" && inst["ref"] != q.Get("ref") {
		return false
	}
	if q.Get("tool_name") != "" && tool["name"] != q.Get("tool_name") {
		return false
	}
	if sev := q.Get("severity"); sev != "" && rule["security_severity_level"] != sev && rule["severity"] != sev {
		return false
	}
	return true
}

func (f *Server) serveAlerts(w http.ResponseWriter, r *http.Request, repo, rest string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.knownRepo(repo) {
		writeError(w, 404, "Not Found")
		return
	}
	alerts := f.alertsOf(repo)
	if rest == "alerts" && r.Method == "GET" {
		var match []map[string]any
		for _, a := range alerts {
			if matches(a, r) {
				match = append(match, a)
			}
		}
		paginate(w, r, f.URL, match)
		return
	}
	num, sub, _ := strings.Cut(strings.TrimPrefix(rest, "alerts/"), "/")
	n, err := strconv.Atoi(num)
	var alert map[string]any
	for _, a := range alerts {
		if fmt.Sprint(a["number"]) == strconv.Itoa(n) && err == nil {
			alert = a
		}
	}
	if alert == nil || !strings.HasPrefix(rest, "alerts/") {
		writeError(w, 404, "Not Found")
		return
	}
	switch {
	case r.Method == "GET" && sub == "":
		json.NewEncoder(w).Encode(alert)
	case r.Method == "GET" && sub == "instances":
		inst, ok := alert["instances"].([]any)
		if !ok {
			inst = []any{alert["most_recent_instance"]}
		}
		paginate(w, r, f.URL, inst)
	case r.Method == "PATCH" && sub == "":
		f.patchAlert(w, r, alert)
	default:
		writeError(w, 404, "Not Found")
	}
}

// patchAlert checks the body as GitHub does and applies it.
func (f *Server) patchAlert(w http.ResponseWriter, r *http.Request, alert map[string]any) {
	var body struct {
		State   string  `json:"state"`
		Reason  *string `json:"dismissed_reason"`
		Comment *string `json:"dismissed_comment"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, 400, "Problems parsing JSON")
		return
	}
	switch {
	case body.State != "open" && body.State != "dismissed":
		writeError(w, 422, "Invalid request: state")
		return
	case body.State == "dismissed" && (body.Reason == nil || (*body.Reason != "false positive" && *body.Reason != "won't fix" && *body.Reason != "used in tests")):
		writeError(w, 422, "Invalid request: dismissed_reason")
		return
	case body.Comment != nil && len([]rune(*body.Comment)) > 280:
		writeError(w, 422, "Invalid request: dismissed_comment is too long (maximum is 280 characters)")
		return
	case alert["state"] == "fixed":
		writeError(w, 400, "Alert is already fixed")
		return
	}
	alert["state"] = body.State
	if body.State == "dismissed" {
		alert["dismissed_reason"] = *body.Reason
		alert["dismissed_at"] = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC).Format(time.RFC3339)
		alert["dismissed_by"] = map[string]any{"login": "reviewer"}
		if body.Comment != nil {
			alert["dismissed_comment"] = *body.Comment
		} else {
			delete(alert, "dismissed_comment")
		}
	} else {
		for _, k := range []string{"dismissed_reason", "dismissed_at", "dismissed_by", "dismissed_comment"} {
			delete(alert, k)
		}
	}
	json.NewEncoder(w).Encode(alert)
}

// orgAlerts serves an organization's alerts, a page per cursor.
func (f *Server) orgAlerts(w http.ResponseWriter, r *http.Request, org string) {
	q := r.URL.Query()
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 || perPage > 100 {
		perPage = 30
	}
	start := 0
	if c := q.Get("after"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if start, err = strconv.Atoi(string(b)); err != nil {
			writeError(w, 422, "Invalid cursor")
			return
		}
	}
	var page []map[string]any
	next := -1
	if f.Generated > 0 && org == "gen" {
		for i := start; i < f.Generated; i++ {
			a := GeneratedAlert(i, f.GeneratedRepos)
			if !matches(a, r) {
				continue
			}
			if len(page) == perPage {
				next = i
				break
			}
			page = append(page, a)
		}
	} else {
		f.mu.Lock()
		repos, ok := f.Orgs[org]
		if !ok {
			f.mu.Unlock()
			writeError(w, 404, "Not Found")
			return
		}
		var all []map[string]any
		for _, repo := range repos {
			owner, name, _ := strings.Cut(repo, "/")
			for _, a := range f.alertsOf(repo) {
				if matches(a, r) {
					c := map[string]any{"repository": map[string]any{"full_name": repo, "name": name,
						"html_url": "https://github.com/" + repo, "owner": map[string]any{"login": owner}}}
					for k, v := range a {
						c[k] = v
					}
					all = append(all, c)
				}
			}
		}
		f.mu.Unlock()
		end := min(start+perPage, len(all))
		if start < len(all) {
			page = all[start:end]
		}
		if end < len(all) {
			next = end
		}
	}
	if next >= 0 {
		nq := r.URL.Query()
		nq.Del("page")
		nq.Set("after", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(next))))
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, f.URL, r.URL.Path, nq.Encode()))
	}
	if page == nil {
		page = []map[string]any{}
	}
	json.NewEncoder(w).Encode(page)
}

// GeneratedAlert is alert i of a generated organization of repos
// repositories: states, severities, rules, tools and dates vary with i.
func GeneratedAlert(i, repos int) map[string]any {
	repo := fmt.Sprintf("gen/repo%03d", i%max(repos, 1))
	states := []string{"open", "open", "open", "fixed", "dismissed"}
	sevs := []string{"critical", "high", "medium", "low", ""}
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%330) * 24 * time.Hour)
	a := map[string]any{
		"number": i/max(repos, 1) + 1, "state": states[i%5], "created_at": created.Format(time.RFC3339),
		"url":      fmt.Sprintf("https://api.github.com/repos/%s/code-scanning/alerts/%d", repo, i/max(repos, 1)+1),
		"html_url": fmt.Sprintf("https://github.com/%s/security/code-scanning/%d", repo, i/max(repos, 1)+1),
		"rule": map[string]any{"id": fmt.Sprintf("rule-%02d", i%37), "severity": []string{"error", "warning", "note"}[i%3],
			"security_severity_level": sevs[i%7%5], "description": "Generated rule"},
		"tool": map[string]any{"name": []string{"CodeQL", "gosec", "Semgrep"}[i%3]},
		"most_recent_instance": map[string]any{"ref": "refs/heads/main", "state": states[i%5],
			"message":  map[string]any{"text": "A generated finding"},
			"location": map[string]any{"path": fmt.Sprintf("pkg/file%d.go", i%50), "start_line": i%400 + 1}},
		"repository": map[string]any{"full_name": repo, "name": strings.TrimPrefix(repo, "gen/")},
	}
	switch states[i%5] {
	case "fixed":
		a["fixed_at"] = created.Add(time.Duration(i%40+1) * 24 * time.Hour).Format(time.RFC3339)
	case "dismissed":
		a["dismissed_reason"] = []string{"false positive", "won't fix", "used in tests"}[i%3]
		a["dismissed_at"] = created.Add(48 * time.Hour).Format(time.RFC3339)
	}
	return a
}

// deleteAnalysis deletes the newest analysis of its set (tool, category,
// ref): an older one, or the last one without confirm_delete, is refused.
func (f *Server) deleteAnalysis(w http.ResponseWriter, r *http.Request, idText string) {
	id, _ := strconv.ParseInt(idText, 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	k := -1
	for i, a := range f.Analyses {
		if a.ID == id {
			k = i
		}
	}
	if k < 0 {
		writeError(w, 404, "Not Found")
		return
	}
	a := f.Analyses[k]
	if f.newest(a) != k {
		writeError(w, 400, "Analysis specified is not deletable.")
		return
	}
	if f.setSize(a) == 1 && r.URL.Query().Get("confirm_delete") == "" {
		writeError(w, 400, "Analysis is last of its type and deleting may cause alerts to be lost. Use confirm_delete=true.")
		return
	}
	f.Analyses = append(f.Analyses[:k], f.Analyses[k+1:]...)
	out := map[string]any{"next_analysis_url": nil, "confirm_delete_url": nil}
	if next := f.newest(a); next >= 0 {
		u := fmt.Sprintf("%s/repos/o/r/code-scanning/analyses/%d", f.URL, f.Analyses[next].ID)
		out["next_analysis_url"], out["confirm_delete_url"] = u, u+"?confirm_delete"
	}
	json.NewEncoder(w).Encode(out)
}

// sameSet tells whether two analyses are of one set: tool, category, ref.
func sameSet(a, b Analysis) bool {
	return a.Tool.Name == b.Tool.Name && a.Category == b.Category && a.Ref == b.Ref
}

// newest returns the index of the newest analysis of a's set (the first
// of those equally new), or -1 when the set has none left.
func (f *Server) newest(a Analysis) int {
	n := -1
	for i, b := range f.Analyses {
		if sameSet(a, b) && (n < 0 || b.CreatedAt.After(f.Analyses[n].CreatedAt)) {
			n = i
		}
	}
	return n
}

func (f *Server) setSize(a Analysis) int {
	n := 0
	for _, b := range f.Analyses {
		if sameSet(a, b) {
			n++
		}
	}
	return n
}

// deletable tells whether a is the newest analysis of its set, the one
// DELETE takes.
func (f *Server) deletable(a Analysis) bool {
	n := f.newest(a)
	return n >= 0 && f.Analyses[n].ID == a.ID
}
