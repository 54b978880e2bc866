// Command objserve serves objects from a bucket over HTTP.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"

	"example.com/blindi/objstore"
)

func main() {
	addr := flag.String("addr", ":8082", "listen address")
	endpoint := flag.String("endpoint", "http://localhost:9001", "object store endpoint")
	bucket := flag.String("bucket", "public", "bucket")
	flag.Parse()

	client := objstore.NewClient(*endpoint, *bucket, log.Default())
	http.HandleFunc("GET /o/{key}", func(w http.ResponseWriter, r *http.Request) {
		data, err := client.GetWithRetryScoped(r.Context(), r.PathValue("key"), 3)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = io.Copy(w, bytesReader(data))
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
