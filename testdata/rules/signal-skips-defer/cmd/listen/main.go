package main

import (
	"net/http"

	"example.com/sig/store"
)

func main() {
	db, err := store.Open("app.db")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	_ = http.ListenAndServe(":8080", nil) // want `main defers db.Close\(\) \(line 14\) and then blocks in net/http.ListenAndServe \(line 15\), but package main never handles SIGTERM or SIGINT`
}
