// Command hookd listens on a unix socket and applies patches pushed by
// editor plugins to the repository.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"example.com/clidevtools/internal/vcs"
)

type server struct {
	repo *vcs.Repo
}

func (s *server) handleStatus(w http.ResponseWriter, r *http.Request) {
	out, err := s.repo.Git(r.Context(), "status", "--porcelain")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	st := vcs.ParseStatus(out)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(st.Paths())
}

func (s *server) handleHooks(w http.ResponseWriter, r *http.Request) {
	hooks, err := s.repo.Hooks()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(hooks)
}

func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", s.handleStatus)
	mux.HandleFunc("GET /hooks", s.handleHooks)
	return mux
}

func main() {
	sock := flag.String("socket", "", "unix socket path (default .git/vcsh/hookd.sock)")
	flag.Parse()
	repo, err := vcs.Open(".")
	if err != nil {
		log.Fatal(err)
	}
	if *sock == "" {
		*sock = filepath.Join(repo.Root, ".git", "vcsh", "hookd.sock")
	}
	os.Remove(*sock)
	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(*sock)
	defer ln.Close()
	s := &server{repo: repo}
	log.Printf("hookd listening on %s", *sock)
	if err := http.Serve(ln, s.routes()); err != nil { // HAZ signal-skips-defer
		log.Print(err)
	}
}
