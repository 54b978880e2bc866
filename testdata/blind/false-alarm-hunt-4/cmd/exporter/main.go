// Command exporter loads a snapshot once and then serves it read-only.
package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"

	"example.com/falsealarm4/internal/catalog"
)

func main() {
	c := catalog.New()
	func() {
		f, err := os.Open("catalog.json")
		if err != nil {
			log.Printf("no snapshot: %v", err)
			return
		}
		defer f.Close() // ok: runs when this literal returns, long before serving
		b, err := io.ReadAll(f)
		if err != nil {
			log.Printf("snapshot: %v", err)
			return
		}
		var entries []catalog.Entry
		if err := json.Unmarshal(b, &entries); err != nil {
			log.Printf("snapshot: %v", err)
			return
		}
		for _, e := range entries {
			c.Put(e)
		}
	}()

	http.HandleFunc("/count", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(c.Len())
	})
	log.Fatal(http.ListenAndServe(":8089", nil)) // ok: main itself has no pending defer
}
