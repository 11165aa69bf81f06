// Command kv is the stateful test app of the volume tests: GET /set?k=v writes v to the file k
// under its data directory (DATA_DIR, /data by default), GET /get?k reads it back.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	dir := os.Getenv("DATA_DIR")
	if dir == "" {
		dir = "/data"
	}
	http.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		for k, v := range r.URL.Query() {
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(k)), []byte(strings.Join(v, ",")), 0o644); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		data, err := os.ReadFile(filepath.Join(dir, filepath.Base(r.URL.RawQuery)))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Write(data)
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "kv") })
	log.Fatal(http.ListenAndServe(":80", nil))
}
