// Package publish uploads release artifacts and the manifest to the
// artifact store over HTTP.
package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/releasecli/internal/config"
	"example.com/releasecli/internal/manifest"
)

// StatusError is returned for non-2xx responses.
type StatusError struct {
	Method string
	URL    string
	Code   int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("publish: %s %s: %d %s", e.Method, e.URL, e.Code, strings.TrimSpace(e.Body))
}

// Job is one queued upload of the watch mode.
type Job struct {
	Path string
	Name string
}

// Uploader talks to the artifact store.
type Uploader struct {
	client      *http.Client
	base        string
	token       string
	concurrency int
	log         *log.Logger
	progress    *Progress
	inflight    *sync.WaitGroup
}

// NewUploader reads the token from the environment variable named in cfg.
func NewUploader(cfg config.PublishConfig, logger *log.Logger, progress *Progress) (*Uploader, error) {
	if cfg.URL == "" {
		return nil, errors.New("publish: no url configured")
	}
	tokenEnv := cfg.TokenEnv
	if tokenEnv == "" {
		tokenEnv = "RELCLI_TOKEN"
	}
	token := os.Getenv(tokenEnv)
	if token == "" {
		return nil, fmt.Errorf("publish: %s is not set", tokenEnv)
	}
	return &Uploader{
		client:      &http.Client{Timeout: cfg.Timeout.Duration},
		base:        strings.TrimRight(cfg.URL, "/"),
		token:       token,
		concurrency: cfg.Concurrency,
		log:         logger,
		progress:    progress,
	}, nil
}

// TrackInflight makes the uploader count running uploads in wg, so that the
// watch mode can wait for them on shutdown.
func (u *Uploader) TrackInflight(wg *sync.WaitGroup) {
	u.inflight = wg
}

func (u *Uploader) objectURL(name string) string {
	return u.base + "/objects/" + url.PathEscape(name)
}

func (u *Uploader) newRequest(ctx context.Context, method, target string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+u.token)
	req.Header.Set("User-Agent", "relcli/1")
	return req, nil
}

// roundTrip sends req, retrying idempotent requests on 5xx and network errors.
func (u *Uploader) roundTrip(req *http.Request) (*http.Response, error) {
	attempts := 1
	if req.Body == nil && (req.Method == http.MethodGet || req.Method == http.MethodHead || req.Method == http.MethodDelete) {
		attempts = 3
	}
	var lastErr error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			time.Sleep(time.Duration(i) * 500 * time.Millisecond)
		}
		resp, err := u.client.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		if resp.StatusCode >= 500 && i < attempts-1 {
			resp.Body.Close()
			lastErr = fmt.Errorf("publish: %s: %s", req.URL, resp.Status)
			continue
		}
		return resp, nil
	}
	return nil, lastErr
}

// do is roundTrip plus a status check; the body of a failed response is
// read into the error and closed.
func (u *Uploader) do(req *http.Request) (*http.Response, error) {
	resp, err := u.roundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return nil, &StatusError{Method: req.Method, URL: req.URL.String(), Code: resp.StatusCode, Body: string(msg)}
	}
	return resp, nil
}

// UploadFile streams the file at path to the store and returns its URL.
func (u *Uploader) UploadFile(ctx context.Context, path, name string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}

	var body io.Reader = f
	if u.progress != nil {
		u.progress.Add(name, fi.Size())
		body = u.progress.Reader(name, f)
	}
	req, err := u.newRequest(ctx, http.MethodPut, u.objectURL(name), body)
	if err != nil {
		return "", err
	}
	req.ContentLength = fi.Size()
	req.Header.Set("Content-Type", "application/octet-stream")

	resp, err := u.do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", fmt.Errorf("publish: %s: bad response: %w", name, err)
	}
	if u.progress != nil {
		u.progress.Finish(name)
	}
	return out.URL, nil
}

// UploadTracked is UploadFile counted in the in-flight group, if any.
func (u *Uploader) UploadTracked(ctx context.Context, path, name string) (string, error) {
	var done func()
	if u.inflight != nil {
		u.inflight.Add(1)
		done = u.inflight.Done
	}
	defer done() // HAZ defer-nil-func
	return u.UploadFile(ctx, path, name)
}

// Exists reports whether an object is already in the store.
func (u *Uploader) Exists(ctx context.Context, name string) (bool, error) {
	req, err := u.newRequest(ctx, http.MethodHead, u.objectURL(name), nil)
	if err != nil {
		return false, err
	}
	resp, err := u.roundTrip(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// LatestVersion returns the newest published version, or "" when unknown.
// It is only used for the "newer version available" hint.
func (u *Uploader) LatestVersion(ctx context.Context) string {
	req, _ := u.newRequest(ctx, http.MethodGet, u.base+"/latest", nil)
	resp, _ := u.client.Do(req)
	u.log.Printf("checked %s", req.URL.Redacted())
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	var v struct {
		Version string `json:"version"`
	}
	if json.NewDecoder(resp.Body).Decode(&v) != nil {
		return ""
	}
	return v.Version
}

// FetchManifest downloads the manifest of a published version.
func (u *Uploader) FetchManifest(ctx context.Context, version string) (*manifest.Manifest, error) {
	req, err := u.newRequest(ctx, http.MethodGet, u.base+"/releases/"+url.PathEscape(version)+"/manifest.json", nil)
	if err != nil {
		return nil, err
	}
	resp, err := u.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var m manifest.Manifest
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("publish: manifest %s: %w", version, err)
	}
	return &m, nil
}

// DeleteAll removes objects from the store (used by "relcli clean --remote").
func (u *Uploader) DeleteAll(ctx context.Context, names []string) error {
	for _, n := range names {
		req, err := u.newRequest(ctx, http.MethodDelete, u.objectURL(n), nil)
		if err != nil {
			return err
		}
		resp, err := u.roundTrip(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotFound {
			return fmt.Errorf("publish: delete %s: %s", n, resp.Status)
		}
	}
	return nil
}

// DeleteOne removes a single object and reports whether it existed.
func (u *Uploader) DeleteOne(ctx context.Context, name string) (bool, error) {
	req, err := u.newRequest(ctx, http.MethodDelete, u.objectURL(name), nil)
	if err != nil {
		return false, err
	}
	resp, err := u.roundTrip(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNoContent, http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	default:
		return false, fmt.Errorf("publish: delete %s: %s", name, resp.Status)
	}
}

// UploadWithTimeout uploads a file but gives up waiting after timeout.
func (u *Uploader) UploadWithTimeout(ctx context.Context, path, name string, timeout time.Duration) (string, error) {
	type result struct {
		url string
		err error
	}
	done := make(chan result)
	go func() {
		url, err := u.UploadFile(ctx, path, name)
		done <- result{url, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-done:
		return r.url, r.err
	case <-time.After(timeout):
		return "", fmt.Errorf("publish: %s: no answer after %s", name, timeout)
	}
}

// Ping checks that the store answers, within timeout.
func (u *Uploader) Ping(ctx context.Context, timeout time.Duration) error {
	errc := make(chan error, 1)
	go func() {
		req, err := u.newRequest(ctx, http.MethodGet, u.base+"/healthz", nil)
		if err != nil {
			errc <- err
			return
		}
		resp, err := u.do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-errc:
		return err
	case <-t.C:
		return fmt.Errorf("publish: %s did not answer within %s", u.base, timeout)
	}
}

// Probe is Ping for an arbitrary URL; the sender gives up with the context.
func (u *Uploader) Probe(ctx context.Context, target string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	errc := make(chan error)
	go func() {
		req, err := u.newRequest(ctx, http.MethodHead, target, nil)
		if err == nil {
			var resp *http.Response
			if resp, err = u.do(req); err == nil {
				resp.Body.Close()
			}
		}
		select {
		case errc <- err:
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// audit appends a line to the publish audit log.
func (u *Uploader) audit(op string, err error) {
	if err != nil {
		u.log.Printf("audit: %s: FAILED: %v", op, err)
		return
	}
	u.log.Printf("audit: %s: ok", op)
}

// PublishRelease uploads all artifacts of m and then the manifest itself.
func (u *Uploader) PublishRelease(ctx context.Context, m *manifest.Manifest) error {
	var err error
	defer u.audit("publish "+m.Version, err) // HAZ defer-eager-evaluation
	for i := range m.Artifacts {
		a := &m.Artifacts[i]
		a.URL, err = u.UploadFile(ctx, a.Path, a.Name)
		if err != nil {
			return err
		}
	}
	err = u.putManifest(ctx, m)
	return err
}

// PublishAudited is PublishRelease with the audit line written at exit from
// the final error value.
func (u *Uploader) PublishAudited(ctx context.Context, m *manifest.Manifest) (err error) {
	defer func() { u.audit("publish "+m.Version, err) }()
	if err = u.PublishAll(ctx, m.Artifacts); err != nil {
		return err
	}
	return u.putManifest(ctx, m)
}

func (u *Uploader) putManifest(ctx context.Context, m *manifest.Manifest) error {
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	target := u.base + "/releases/" + url.PathEscape(m.Version) + "/manifest.json"
	req, err := u.newRequest(ctx, http.MethodPut, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := u.do(req)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := resp.Body.Close(); err != nil {
			return fmt.Errorf("publish: closing manifest response: %w", err)
		}
		return nil
	}()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// PublishAll uploads every artifact concurrently and fills in their URLs.
// A panic in one upload becomes that artifact's error.
func (u *Uploader) PublishAll(ctx context.Context, arts []manifest.Artifact) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("publish: panic: %v", r)
		}
	}()
	errs := make([]error, len(arts))
	var wg sync.WaitGroup
	for i := range arts {
		wg.Add(1)
		go func(a *manifest.Artifact, errp *error) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					*errp = fmt.Errorf("publish %s: panic: %v", a.Name, r)
				}
			}()
			a.URL, *errp = u.UploadFile(ctx, a.Path, a.Name)
		}(&arts[i], &errs[i])
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// UploadParts uploads a large file in parts of partSize bytes through the
// store's multipart API and then completes the upload.
func (u *Uploader) UploadParts(ctx context.Context, path, name string, partSize int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	n := int((fi.Size() + partSize - 1) / partSize)

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			part := io.NewSectionReader(f, int64(i)*partSize, partSize)
			if err := u.putPart(ctx, name, i+1, part); err != nil {
				errs <- err
			}
		}()
		u.log.Printf("%s: part %d/%d started", name, i+1, n)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return u.completeParts(ctx, name, n)
}

func (u *Uploader) putPart(ctx context.Context, name string, part int, body io.Reader) error {
	target := fmt.Sprintf("%s?part=%d", u.objectURL(name), part)
	req, err := u.newRequest(ctx, http.MethodPut, target, body)
	if err != nil {
		return err
	}
	resp, err := u.do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (u *Uploader) completeParts(ctx context.Context, name string, parts int) error {
	body := strings.NewReader(fmt.Sprintf(`{"parts":%d}`, parts))
	req, err := u.newRequest(ctx, http.MethodPost, u.objectURL(name)+"?complete", body)
	if err != nil {
		return err
	}
	resp, err := u.do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// UploadAndReport uploads one queued job and reports its name on done, which
// the terminal UI of the watch mode reads until the user presses Ctrl-C.
func (u *Uploader) UploadAndReport(ctx context.Context, job Job, done chan<- string) error {
	defer func() { done <- job.Name }() // HAZ defer-blocking-call
	_, err := u.UploadFile(ctx, job.Path, job.Name)
	return err
}

// Serve uploads jobs from the queue for as long as the watch mode runs.
func (u *Uploader) Serve(ctx context.Context, queue <-chan Job) {
	for job := range queue {
		f, err := os.Open(job.Path)
		if err != nil {
			u.log.Printf("watch: %s: %v", job.Name, err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop defer-in-infinite-loop
		req, err := u.newRequest(ctx, http.MethodPut, u.objectURL(job.Name), f)
		if err != nil {
			u.log.Printf("watch: %s: %v", job.Name, err)
			continue
		}
		resp, err := u.do(req)
		if err != nil {
			u.log.Printf("watch: %s: %v", job.Name, err)
			continue
		}
		resp.Body.Close()
		u.log.Printf("watch: uploaded %s", job.Name)
	}
}

// ServeReported is the watch mode that reports finished jobs on done; the
// report is dropped when nobody listens.
func (u *Uploader) ServeReported(ctx context.Context, queue <-chan Job, done chan<- string) {
	for {
		select {
		case <-ctx.Done():
			return
		case job, ok := <-queue:
			if !ok {
				return
			}
			if err := u.uploadOne(ctx, job); err != nil {
				u.log.Printf("watch: %s: %v", job.Name, err)
			}
			select {
			case done <- job.Name:
			default:
			}
		}
	}
}

// uploadOne uploads a job, reporting on panics instead of crashing the watcher.
func (u *Uploader) uploadOne(ctx context.Context, job Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("upload %s panicked: %v", job.Name, r)
			u.log.Print(err)
		}
	}()
	_, err = u.UploadFile(ctx, job.Path, job.Name)
	return err
}

// Download fetches a published object into dst and then pauses briefly so
// that mirror jobs do not hammer the CDN.
func (u *Uploader) Download(ctx context.Context, name, dst string) (err error) {
	defer time.Sleep(250 * time.Millisecond) // HAZ defer-blocking-call
	req, err := u.newRequest(ctx, http.MethodGet, u.objectURL(name), nil)
	if err != nil {
		return err
	}
	resp, err := u.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, resp.Body)
	return err
}

func (u *Uploader) get(ctx context.Context, target string) (*http.Response, error) {
	req, err := u.newRequest(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	return u.roundTrip(req)
}

// FetchChangelog returns the release notes of version, from the mirror when
// the primary store does not have them.
func (u *Uploader) FetchChangelog(ctx context.Context, version, mirror string) ([]byte, error) {
	resp, err := u.get(ctx, u.base+"/releases/"+url.PathEscape(version)+"/CHANGELOG.md")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // HAZ defer-eager-evaluation
	if resp.StatusCode == http.StatusNotFound && mirror != "" {
		resp, err = u.get(ctx, strings.TrimRight(mirror, "/")+"/"+url.PathEscape(version)+"/CHANGELOG.md")
		if err != nil {
			return nil, err
		}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("publish: changelog %s: %s", version, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// UploadSignatures uploads the detached signatures (artifact name → path of
// the signature file) concurrently.
func (u *Uploader) UploadSignatures(ctx context.Context, sigs map[string]string) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for name, path := range sigs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := u.UploadFile(ctx, path, name+".asc"); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
		u.log.Printf("uploading signature of %s", name)
	}
	wg.Wait()
	return firstErr
}
