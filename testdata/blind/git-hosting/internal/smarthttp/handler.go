// Package smarthttp serves git's smart HTTP protocol and a few read-only views.
package smarthttp

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/storage"
)

// AuthFunc decides whether user/pass may read (or, with write, push to) repo.
type AuthFunc func(user, pass, repo string, write bool) bool

// Handler serves /<repo>/info/refs, /<repo>/git-upload-pack,
// /<repo>/git-receive-pack and the read-only views under /<repo>/-/.
type Handler struct {
	store  *storage.Store
	git    *gitcmd.Runner
	logger *log.Logger
	stats  *Stats
	auth   AuthFunc

	// AdvertiseTimeout bounds the ref advertisement of info/refs.
	AdvertiseTimeout time.Duration
}

// New returns a Handler. A nil auth allows anonymous reads and no pushes.
func New(store *storage.Store, git *gitcmd.Runner, logger *log.Logger, auth AuthFunc) *Handler {
	if auth == nil {
		auth = func(_, _, _ string, write bool) bool { return !write }
	}
	return &Handler{
		store:            store,
		git:              git,
		logger:           logger,
		stats:            new(Stats),
		auth:             auth,
		AdvertiseTimeout: 20 * time.Second,
	}
}

// Stats returns the handler's counters.
func (h *Handler) Stats() *Stats { return h.stats }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.observe("http", time.Now())
	name, rest, ok := splitRepoPath(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	repo, err := h.store.Get(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	write := rest == "git-receive-pack" || r.URL.Query().Get("service") == "git-receive-pack"
	if !h.authorize(w, r, name, write) {
		return
	}
	dumb := rest == "HEAD" || strings.HasPrefix(rest, "objects/") ||
		rest == "info/refs" && r.URL.Query().Get("service") == ""
	switch {
	case dumb && r.Method == http.MethodGet:
		h.serveDumb(w, r, repo, rest)
	case rest == "info/refs" && r.Method == http.MethodGet:
		h.infoRefs(w, r, repo)
	case rest == "git-upload-pack" && r.Method == http.MethodPost:
		h.uploadPack(w, r, repo)
	case rest == "git-receive-pack" && r.Method == http.MethodPost:
		h.receivePack(w, r, repo)
	case strings.HasPrefix(rest, "-/raw/"):
		h.serveRaw(w, r, repo, strings.TrimPrefix(rest, "-/raw/"))
	case rest == "-/tree" || strings.HasPrefix(rest, "-/tree/"):
		h.serveTree(w, r, repo, strings.TrimPrefix(strings.TrimPrefix(rest, "-/tree"), "/"))
	case strings.HasPrefix(rest, "-/blame/"):
		h.serveBlame(w, r, repo, strings.TrimPrefix(rest, "-/blame/"))
	case rest == "-/log":
		h.serveLog(w, r, repo)
	case rest == "-/summary":
		h.serveSummary(w, r, repo)
	default:
		http.NotFound(w, r)
	}
}

// observe records the duration since start under op. Deferred with the start
// time as its argument: defer h.observe("op", time.Now()).
func (h *Handler) observe(op string, start time.Time) {
	h.stats.Observe(op, time.Since(start))
}

// splitRepoPath splits "/name.git/rest" into "name" and "rest".
func splitRepoPath(p string) (repo, rest string, ok bool) {
	p = strings.TrimPrefix(p, "/")
	repo, rest, ok = strings.Cut(p, "/")
	if !ok {
		return "", "", false
	}
	repo = strings.TrimSuffix(repo, ".git")
	if !storage.ValidName(repo) {
		return "", "", false
	}
	return repo, rest, true
}

// validPath reports whether p is a clean relative path inside a tree.
func validPath(p string) bool {
	if strings.HasPrefix(p, "/") || strings.ContainsRune(p, 0) || strings.HasPrefix(p, "-") {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}

// authorize checks HTTP basic credentials and answers 401 when they do not suffice.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, repo string, write bool) bool {
	user, pass, _ := r.BasicAuth()
	if h.auth(user, pass, repo, write) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="githost"`)
	http.Error(w, "authentication required", http.StatusUnauthorized)
	return false
}

type advert struct {
	data []byte
	err  error
}

// infoRefs answers the ref advertisement that starts every fetch and push.
func (h *Handler) infoRefs(w http.ResponseWriter, r *http.Request, repo *storage.Repo) {
	service := r.URL.Query().Get("service")
	if service != "git-upload-pack" && service != "git-receive-pack" {
		http.Error(w, "dumb protocol not supported", http.StatusForbidden)
		return
	}
	ch := make(chan advert)
	go func() {
		out, err := h.git.Output(r.Context(), repo.Path, strings.TrimPrefix(service, "git-"), "--stateless-rpc", "--advertise-refs", ".")
		ch <- advert{out, err} // HAZ goroutine-blocked-send
	}()
	var res advert
	select {
	case res = <-ch:
	case <-time.After(h.AdvertiseTimeout):
		http.Error(w, "timed out listing refs", http.StatusGatewayTimeout)
		return
	}
	if res.err != nil {
		h.logger.Printf("info/refs %s: %v", repo.Name, res.err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-"+service+"-advertisement")
	noCache(w)
	if err := writePktLine(w, "# service="+service+"\n"); err != nil {
		return
	}
	if err := writeFlush(w); err != nil {
		return
	}
	if _, err := w.Write(res.data); err != nil {
		h.logger.Printf("info/refs %s: %v", repo.Name, err)
	}
}

// uploadPack serves a fetch or clone.
func (h *Handler) uploadPack(w http.ResponseWriter, r *http.Request, repo *storage.Repo) {
	start := time.Now()
	defer h.stats.ObserveSpan("upload-pack", start, time.Now()) // HAZ defer-eager-evaluation
	body, err := requestBody(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
	noCache(w)
	if err := h.git.Stream(r.Context(), repo.Path, body, newFlushWriter(w), "upload-pack", "--stateless-rpc", "."); err != nil {
		h.logger.Printf("upload-pack %s: %v", repo.Name, err)
	}
}

// receivePack serves a push.
func (h *Handler) receivePack(w http.ResponseWriter, r *http.Request, repo *storage.Repo) {
	body, err := requestBody(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer body.Close()
	cmd := h.git.Command(r.Context(), repo.Path, "receive-pack", "--stateless-rpc", ".")
	cmd.Stdin = body
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := cmd.Start(); err != nil {
		h.logger.Printf("receive-pack %s: %v", repo.Name, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	w.Header().Set("Content-Type", "application/x-git-receive-pack-result")
	noCache(w)
	if _, err := io.Copy(newFlushWriter(w), stdout); err != nil {
		h.logger.Printf("receive-pack %s: %v", repo.Name, err)
		return
	}
	repo.TouchPush(time.Now())
}

// serveRaw sends the content of one file at a revision.
func (h *Handler) serveRaw(w http.ResponseWriter, r *http.Request, repo *storage.Repo, path string) {
	rev := r.URL.Query().Get("ref")
	if rev == "" {
		rev = "HEAD"
	}
	if !gitcmd.ValidRev(rev) || !validPath(path) || path == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	rc, err := h.git.CatBlob(r.Context(), repo.Path, rev+":"+path)
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, err := io.Copy(w, rc); err != nil {
		h.logger.Printf("raw %s:%s: %v", repo.Name, path, err)
	}
}

// inflight counts a running view request; call the result when it ends.
func (h *Handler) inflight() func() {
	h.stats.inflight.Add(1)
	return func() { h.stats.inflight.Add(-1) }
}

// serveTree lists the entries of a directory at a revision.
func (h *Handler) serveTree(w http.ResponseWriter, r *http.Request, repo *storage.Repo, dir string) {
	defer h.inflight() // HAZ defer-func-result-not-called
	rev := r.URL.Query().Get("ref")
	if rev == "" {
		rev = "HEAD"
	}
	if !gitcmd.ValidRev(rev) || !validPath(dir) {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	spec := rev
	if dir != "" {
		spec = rev + ":" + dir
	}
	out, err := h.git.Output(r.Context(), repo.Path, "ls-tree", "--name-only", spec)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := w.Write(out); err != nil {
		h.logger.Printf("tree %s: %v", repo.Name, err)
	}
}

// serveLog streams the one-line log of a revision.
func (h *Handler) serveLog(w http.ResponseWriter, r *http.Request, repo *storage.Repo) {
	defer h.inflight()()
	rev := r.URL.Query().Get("ref")
	if rev == "" {
		rev = "HEAD"
	}
	if !gitcmd.ValidRev(rev) {
		http.Error(w, "bad revision", http.StatusBadRequest)
		return
	}
	cmd := h.git.Command(r.Context(), repo.Path, "log", "--oneline", "-n", "200", rev, "--")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := cmd.Start(); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, copyErr := io.Copy(newFlushWriter(w), stdout)
	if copyErr != nil {
		stdout.Close() // the client is gone: let git die on EPIPE so Wait returns
	}
	if err := cmd.Wait(); err != nil || copyErr != nil {
		h.logger.Printf("log %s: wait: %v, copy: %v", repo.Name, err, copyErr)
	}
}

// serveBlame answers the porcelain blame of one file.
func (h *Handler) serveBlame(w http.ResponseWriter, r *http.Request, repo *storage.Repo, path string) {
	rev := r.URL.Query().Get("ref")
	if rev == "" {
		rev = "HEAD"
	}
	if !gitcmd.ValidRev(rev) || !validPath(path) || path == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	type result struct {
		out []byte
		err error
	}
	ch := make(chan result)
	go func() {
		out, err := h.git.Output(r.Context(), repo.Path, "blame", "--porcelain", rev, "--", path)
		ch <- result{out, err} // HAZ goroutine-blocked-send
	}()
	var res result
	select {
	case res = <-ch:
	case <-r.Context().Done():
		return
	}
	if res.err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := w.Write(res.out); err != nil {
		h.logger.Printf("blame %s: %v", repo.Name, err)
	}
}

// updateServerInfo regenerates the files dumb-protocol clients read.
func (h *Handler) updateServerInfo(dir string) error {
	cmd := h.git.Command(context.Background(), dir, "update-server-info")
	return cmd.Run()
}

// serveDumb serves the files of the dumb HTTP protocol and refreshes the
// server info for the next dumb client.
func (h *Handler) serveDumb(w http.ResponseWriter, r *http.Request, repo *storage.Repo, file string) {
	if !validPath(file) {
		http.NotFound(w, r)
		return
	}
	defer h.updateServerInfo(repo.Path) // HAZ defer-blocking-call
	http.ServeFile(w, r, filepath.Join(repo.Path, filepath.FromSlash(file)))
}

var errSlow = errors.New("git did not answer in time")

// headRef returns the branch HEAD points to, giving up after two seconds.
func (h *Handler) headRef(ctx context.Context, repo *storage.Repo) (string, error) {
	type result struct {
		ref string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		out, err := h.git.Output(ctx, repo.Path, "symbolic-ref", "--short", "HEAD")
		ch <- result{strings.TrimSpace(string(out)), err}
	}()
	select {
	case res := <-ch:
		return res.ref, res.err
	case <-time.After(2 * time.Second):
		return "", errSlow
	}
}

// serveSummary answers a small JSON description of the repository.
func (h *Handler) serveSummary(w http.ResponseWriter, r *http.Request, repo *storage.Repo) {
	head, err := h.headRef(r.Context(), repo)
	if err != nil {
		head = ""
	}
	desc, err := repo.Description()
	if err != nil {
		h.logger.Printf("summary %s: %v", repo.Name, err)
	}
	summary := struct {
		Name        string    `json:"name"`
		Description string    `json:"description,omitempty"`
		Head        string    `json:"head,omitempty"`
		LastPush    time.Time `json:"last_push"`
	}{repo.Name, desc, head, repo.LastPush()}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(summary); err != nil {
		h.logger.Printf("summary %s: %v", repo.Name, err)
	}
}

// requestBody returns the request body, transparently gunzipped.
func requestBody(r *http.Request) (io.ReadCloser, error) {
	if r.Header.Get("Content-Encoding") != "gzip" {
		return r.Body, nil
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		return nil, err
	}
	return zr, nil
}
