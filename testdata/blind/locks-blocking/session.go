package blindc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Session is one logged-in user session. It has its own mutex for the
// mutable fields; ID and UserID never change.
type Session struct {
	mu       sync.Mutex
	ID       string
	UserID   string
	values   map[string]string
	lastSeen time.Time
}

// Touch records activity on the session.
func (s *Session) Touch(now time.Time) {
	s.mu.Lock()
	s.lastSeen = now
	s.mu.Unlock()
}

type auditEntry struct {
	At     time.Time
	UserID string
	Action string
}

// SessionStore keeps sessions in memory and serves the auth endpoints.
type SessionStore struct {
	mu       sync.RWMutex
	sessions map[string]*Session
	audit    chan auditEntry // unbuffered: handed straight to the audit writer
	client   *http.Client
	usageURL string
	hookURL  string
}

// NewSessionStore returns an empty store.
func NewSessionStore(client *http.Client, usageURL, hookURL string) *SessionStore {
	return &SessionStore{
		sessions: make(map[string]*Session),
		audit:    make(chan auditEntry),
		client:   client,
		usageURL: usageURL,
		hookURL:  hookURL,
	}
}

// Lookup returns the session with the given id.
func (st *SessionStore) Lookup(id string) (*Session, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	s, ok := st.sessions[id]
	return s, ok
}

func sessionID(r *http.Request) string {
	if c, err := r.Cookie("sid"); err == nil {
		return c.Value
	}
	return r.Header.Get("X-Session-ID")
}

func newSessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writeJSON: %v", err)
	}
}

// reportUsage posts a usage record to the billing service (no deadline).
func (st *SessionStore) reportUsage(userID string) {
	resp, err := st.client.Post(st.usageURL, "text/plain", strings.NewReader(userID))
	if err != nil {
		log.Printf("usage: %v", err)
		return
	}
	resp.Body.Close()
}

// reportUsageCtx is reportUsage bounded by ctx.
func (st *SessionStore) reportUsageCtx(ctx context.Context, userID string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, st.usageURL, strings.NewReader(userID))
	if err != nil {
		log.Printf("usage: %v", err)
		return
	}
	resp, err := st.client.Do(req)
	if err != nil {
		log.Printf("usage: %v", err)
		return
	}
	resp.Body.Close()
}

// notifyExpired calls the expiry webhook for s.
func (st *SessionStore) notifyExpired(s *Session) {
	resp, err := st.client.Post(st.hookURL, "text/plain", strings.NewReader(s.UserID))
	if err != nil {
		log.Printf("expiry hook: %v", err)
		return
	}
	resp.Body.Close()
}

// ---------------------------------------------------------------------------
// lock-leaked-on-return

// HandleLogout ends the caller's session.
func (st *SessionStore) HandleLogout(w http.ResponseWriter, r *http.Request) {
	id := sessionID(r)
	st.mu.Lock() // HAZ lock-leaked-on-return
	sess, ok := st.sessions[id]
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	delete(st.sessions, id)
	st.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "sid", Path: "/", MaxAge: -1})
	writeJSON(w, map[string]string{"user": sess.UserID, "status": "logged out"})
}

// HandleRevoke is the admin variant; it unlocks on both paths.
func (st *SessionStore) HandleRevoke(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	st.mu.Lock()
	sess, ok := st.sessions[id]
	if !ok {
		st.mu.Unlock()
		http.Error(w, "unknown session", http.StatusNotFound)
		return
	}
	delete(st.sessions, id)
	st.mu.Unlock()
	writeJSON(w, map[string]string{"revoked": sess.ID})
}

// ---------------------------------------------------------------------------
// defer-lock-mismatch

// HandleWhoAmI reports the caller's user id.
func (st *SessionStore) HandleWhoAmI(w http.ResponseWriter, r *http.Request) {
	st.mu.RLock()
	defer st.mu.Unlock() // HAZ defer-lock-mismatch
	sess, ok := st.sessions[sessionID(r)]
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	writeJSON(w, map[string]string{"user": sess.UserID})
}

// HandleListSessions lists a user's session ids.
func (st *SessionStore) HandleListSessions(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	st.mu.RLock()
	defer st.mu.RUnlock() // ok
	var ids []string
	for id, s := range st.sessions {
		if s.UserID == user {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	writeJSON(w, ids)
}

// ---------------------------------------------------------------------------
// lock-reentry-under-defer

// HandleRefresh rotates the caller's session id.
func (st *SessionStore) HandleRefresh(w http.ResponseWriter, r *http.Request) {
	st.mu.Lock()
	defer st.mu.Unlock()
	old, ok := st.Lookup(sessionID(r)) // HAZ lock-reentry-under-defer
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	delete(st.sessions, old.ID)
	fresh := &Session{ID: newSessionID(), UserID: old.UserID, values: map[string]string{}, lastSeen: time.Now()}
	st.sessions[fresh.ID] = fresh
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: fresh.ID, Path: "/", HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
}

// HandleTouch records activity on the caller's session.
func (st *SessionStore) HandleTouch(w http.ResponseWriter, r *http.Request) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	sess, ok := st.sessions[sessionID(r)]
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	sess.Touch(time.Now()) // ok: locks sess.mu, not st.mu
	w.WriteHeader(http.StatusNoContent)
}

// ---------------------------------------------------------------------------
// defer-blocking-call

// HandleLogin creates a session and audits the login.
func (st *SessionStore) HandleLogin(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	if user == "" {
		http.Error(w, "missing user", http.StatusBadRequest)
		return
	}
	entry := auditEntry{At: time.Now(), UserID: user, Action: "login"}
	defer func() { st.audit <- entry }() // HAZ defer-blocking-call
	sess := &Session{ID: newSessionID(), UserID: user, values: map[string]string{}, lastSeen: time.Now()}
	st.mu.Lock()
	st.sessions[sess.ID] = sess
	st.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sess.ID, Path: "/", HttpOnly: true})
	writeJSON(w, map[string]string{"session": sess.ID})
}

// HandleSignup creates a session and audits best-effort.
func (st *SessionStore) HandleSignup(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	if user == "" {
		http.Error(w, "missing user", http.StatusBadRequest)
		return
	}
	entry := auditEntry{At: time.Now(), UserID: user, Action: "signup"}
	defer func() {
		select {
		case st.audit <- entry: // ok: select with default never blocks
		default:
			log.Printf("audit: writer busy, dropped %s for %s", entry.Action, entry.UserID)
		}
	}()
	sess := &Session{ID: newSessionID(), UserID: user, values: map[string]string{}, lastSeen: time.Now()}
	st.mu.Lock()
	st.sessions[sess.ID] = sess
	st.mu.Unlock()
	writeJSON(w, map[string]string{"session": sess.ID})
}

// HandleDownload serves a file and bills the download.
func (st *SessionStore) HandleDownload(w http.ResponseWriter, r *http.Request) {
	sess, ok := st.Lookup(sessionID(r))
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	defer st.reportUsage(sess.UserID) // HAZ defer-blocking-call
	http.ServeFile(w, r, filepath.Join("/srv/downloads", path.Base(r.URL.Path)))
}

// HandleExport serves an export and bills it with a bounded request.
func (st *SessionStore) HandleExport(w http.ResponseWriter, r *http.Request) {
	sess, ok := st.Lookup(sessionID(r))
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		st.reportUsageCtx(ctx, sess.UserID) // ok: bounded by the timeout
	}()
	http.ServeFile(w, r, filepath.Join("/srv/exports", path.Base(r.URL.Path)))
}

// HandleDownloadAsync bills on a background goroutine.
func (st *SessionStore) HandleDownloadAsync(w http.ResponseWriter, r *http.Request) {
	sess, ok := st.Lookup(sessionID(r))
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	uid := sess.UserID
	defer func() { go st.reportUsage(uid) }() // ok: the deferred call only starts a goroutine
	http.ServeFile(w, r, filepath.Join("/srv/downloads", path.Base(r.URL.Path)))
}

// HandleBulkExpire expires the listed sessions and fires a webhook for each.
func (st *SessionStore) HandleBulkExpire(w http.ResponseWriter, r *http.Request) {
	ids := r.URL.Query()["id"]
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for _, id := range ids {
		st.mu.Lock()
		sess, ok := st.sessions[id]
		delete(st.sessions, id)
		st.mu.Unlock()
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.notifyExpired(sess)
		}()
	}
	w.WriteHeader(http.StatusNoContent)
}
