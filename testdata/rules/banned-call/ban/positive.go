package ban

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"time"

	"example.com/bannedcall/ban/web"
)

func work(dir string) {
	defer os.RemoveAll(dir) // want `os\.RemoveAll is banned in deferred calls \(deferred on line 14\) by the team's ban list: deleting directories at exit has removed data in production`
}

func workLiteral(dir string) {
	defer func() {
		os.RemoveAll(dir) // want `os\.RemoveAll is banned in deferred calls \(deferred on line 18\)`
	}()
}

func handler(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time\.Sleep is banned in request handlers \(handler is a net/http handler\) by the team's ban list: sleeping holds the request`
}

func register() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Millisecond) // want `time\.Sleep is banned in request handlers \(the function literal on line 28 is a net/http handler\)`
	})
}

func insert(db *sql.DB, rows []string) {
	for _, r := range rows {
		db.Exec("insert into t values (?)", r) // want `\(\*database/sql\.DB\)\.Exec is banned inside loops \(loop on line 34\) by the team's ban list: batch the statements`
	}
}

func syncAll(files []*os.File) {
	for _, f := range files {
		defer f.Sync() // want `\(\*os\.File\)\.Sync is banned in deferred calls inside loops \(deferred on line 41 in the loop on line 40\)`
	}
}

func hello() {
	fmt.Println("hello")  // want `fmt\.Println is banned by the team's ban list: use the structured logger`
	fmt.Printf("%d\n", 1) // want `fmt\.Printf is banned`
}

func abort(c *web.Context) {
	c.Abort() // want `\(\*example\.com/bannedcall/ban/web\.Context\)\.Abort is banned by the team's ban list$`
}
