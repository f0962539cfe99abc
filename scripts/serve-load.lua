-- wrk script for `s2s serve`: POST /v1/translate, one sentence per request, cycling through
-- the lines of the file in $S2S_SENTENCES. Prints one summary line at the end:
--   requests=N sentences_per_s=X p50_ms=… p95_ms=… p99_ms=… errors=N non2xx=N
local sentences = {}
local next_index = 1

local function json_string(s)
  s = s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\t', '\\t'):gsub('\r', ''):gsub('\n', ' ')
  return '"' .. s .. '"'
end

local path = os.getenv("S2S_SENTENCES")
for line in io.lines(path) do
  if line:match("%S") then sentences[#sentences + 1] = line end
end

function setup(thread)
  -- Threads start at different lines so they do not send the same sentence at the same time.
  thread:set("offset", math.random(#sentences))
end

function init(args)
  next_index = (offset or 1)
end

function request()
  local s = sentences[(next_index - 1) % #sentences + 1]
  next_index = next_index + 1
  return wrk.format("POST", "/v1/translate", { ["Content-Type"] = "application/json" },
                    '{"src":[' .. json_string(s) .. ']}')
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("requests=%d sentences_per_s=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f errors=%d non2xx=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
