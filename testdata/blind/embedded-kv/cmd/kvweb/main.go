// Command kvweb is a small web UI for browsing and editing an ekv file
// while kvd is not running.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/ekv/kv"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<title>ekv: {{.Path}}</title>
<h1>{{.Path}}</h1>
<form><input name="prefix" value="{{.Prefix}}"><button>list</button></form>
<table>
{{range .Rows}}<tr><td><a href="/key?k={{.Key}}">{{.Key}}</a></td><td>{{.Size}} bytes</td></tr>
{{end}}</table>
{{if .Next}}<a href="/?prefix={{.Prefix}}&after={{.Next}}">next</a>{{end}}
`))

type row struct {
	Key  string
	Size int
}

type browser struct {
	db       *kv.DB
	pageSize int
}

func main() {
	dataPath := flag.String("data", "data.ekv", "database file")
	addr := flag.String("addr", "127.0.0.1:7381", "listen address")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: kvweb [-data FILE] [-addr HOST:PORT]\n")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()

	db, err := kv.Open(*dataPath, &kv.Options{})
	if err != nil {
		log.Fatalf("kvweb: %v", err)
	}
	defer db.Close()

	b := &browser{db: db, pageSize: 50}
	mux := http.NewServeMux()
	mux.HandleFunc("/", b.handleIndex)
	mux.HandleFunc("/key", b.handleKey)
	mux.HandleFunc("/delete", b.handleDelete)
	mux.HandleFunc("/stats", b.handleStats)

	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("kvweb: browsing %s on http://%s/", *dataPath, *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("kvweb: %v", err)
	}
}

func (b *browser) handleIndex(w http.ResponseWriter, r *http.Request) {
	prefix := r.URL.Query().Get("prefix")
	start := prefix
	if after := r.URL.Query().Get("after"); after != "" {
		start = after + "\x00"
	}
	var rows []row
	var next string
	err := b.db.View(func(tx *kv.Tx) error {
		kvs, err := tx.Range([]byte(start), nil, b.pageSize+1)
		if err != nil {
			return err
		}
		for i, p := range kvs {
			if len(p.Key) < len(prefix) || string(p.Key[:len(prefix)]) != prefix {
				break
			}
			if i == b.pageSize {
				next = rows[len(rows)-1].Key
				break
			}
			rows = append(rows, row{Key: string(p.Key), Size: len(p.Value)})
		}
		return nil
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	data := struct {
		Path, Prefix, Next string
		Rows               []row
	}{b.db.Path(), prefix, next, rows}
	if err := pageTmpl.Execute(w, data); err != nil {
		log.Printf("kvweb: render: %v", err)
	}
}

func (b *browser) handleKey(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("k")
	v, err := b.db.Get([]byte(key))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(v)))
	w.Write(v)
}

func (b *browser) handleDelete(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	key := r.FormValue("k")
	err := b.db.Update(func(tx *kv.Tx) error { return tx.Delete([]byte(key)) })
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (b *browser) handleStats(w http.ResponseWriter, r *http.Request) {
	ts, err := b.db.TreeStats()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(b.db.StatsSummary()))
	_, _ = w.Write([]byte("depth=" + strconv.Itoa(ts.Depth) + " leaves=" + strconv.Itoa(ts.Leaves) +
		" keys=" + strconv.Itoa(ts.Keys) + "\n"))
}
