package toml

import "testing"

// edgeCases are inputs at the corners of TOML and of flyctl's legacy
// shapes. Each must survive a round trip; they also seed FuzzParse.
var edgeCases = map[string]string{
	"special floats":       "a = nan\nb = -0.0\nc = inf\nd = -inf\ne = 1e300\nf = 5e-324\n",
	"dates and times":      "t = 07:32:00.123\nu = 07:32:00\nv = 07:32:00.123456789\nw = 1979-05-27T07:32:00.5+01:30\nx = 1979-05-27 07:32:00Z\ny = 1979-05-27T07:32:00.000\nz = 1979-05-27\n",
	"quoted keys":          "\"ключ\" = 1\n\"a\\\"b\" = 2\n'' = 3\n\"a.b\" = 4\n",
	"odd env keys":         "[env]\n\"\" = 'x'\n'a b' = 1e100\n",
	"odd check names":      "[checks.\"a.b\"]\ntype = 'tcp'\n[checks.'']\nport = 1\n",
	"control characters":   "s = \"a\\u0001b\\tc\\u007fd\\\\e'\"\n",
	"single ports table":   "[[services]]\nports = {port = '80'}\n",
	"float ports":          "[[services]]\nports = [{port = 80.7}]\ninternal_port = 80.0\n",
	"negative kill":        "kill_timeout = -5\n",
	"empty kill":           "kill_timeout = ''\n",
	"empty legacy kill":    "[experimental]\nkill_timeout = ''\n",
	"empty sections":       "vm = []\nmetrics = []\nservices = []\nchecks = {}\n",
	"empty arrays":         "[[services]]\nports = []\nx = []\n",
	"env list override":    "[[env]]\nA = 1\n[[env]]\nA = 2\n",
	"nested unknown":       "x = [[{a=1}]]\ny = [{a=[{b=1}]}]\nz = [1, {a = 2}, [3]]\n",
	"table header value":   "[http_service]\ninternal_port = 80\n[http_service.http_options.response.headers]\nx = {y = 1}\n",
	"settings tables":      "[build.settings]\nk = [{a = 1}, {b = 2}]\n",
	"odd legacy processes": "[[processes]]\nname = 1\ncommand = 2.5\n[[processes]]\nname = 'x'\n",
	"legacy checks":        "[[checks]]\nname = 'x'\ninterval = 10000\nheaders = [{name = 'a', value = 1}, {name = 'b'}]\n",
	"float check duration": "[http_service]\n[[http_service.checks]]\ninterval = 1.5\ntimeout = ''\n",
	"release vm memory":    "[deploy]\nrelease_command_vm = { memory = 512 }\nwait_timeout = 5\n",
	"spaced concurrency":   "[[services]]\nconcurrency = ' 1 , 2 '\n",
	"date env values":      "[env]\nT = 1979-05-27T07:32:00Z\nL = 07:32:00.5\n",
	"attached secrets":     "[experimental.attached.secrets.export]\nA = 'b'\n[experimental.attached]\nx = 1\n",
	"empty nested tables":  "[experimental.attached]\n[experimental.attached.secrets]\n[build.args]\n",
	"empty concurrency":    "[http_service.concurrency]\n[[services]]\n[services.concurrency]\n",
	"empty array tables":   "[[restart]]\n[[statics]]\n[[files]]\n[[machine_checks]]\n",
	"empty checks":         "[checks.x]\n[checks.y]\nheaders = {}\n",
}

func TestRoundTripEdgeCases(t *testing.T) {
	for name, src := range edgeCases {
		t.Run(name, func(t *testing.T) {
			c := mustParse(t, src)
			assertRoundTrip(t, c, mustMarshal(t, c))
		})
	}
}
