-- wrk script for bench/load.py: each connection is one user who picks a random request from the list that
-- bench/load.py wrote (LOAD_REQUESTS) and, when THINK_MAX_MS > 0, thinks between requests.
dofile(os.getenv("LOAD_REQUESTS"))

local think_min = tonumber(os.getenv("THINK_MIN_MS") or "0")
local think_max = tonumber(os.getenv("THINK_MAX_MS") or "0")
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   math.randomseed(1000 + id)
   statuses = {}
end

function request()
   local r = REQUESTS[math.random(#REQUESTS)]
   return wrk.format(r.method, r.path, r.headers, r.body)
end

function delay()
   if think_max <= 0 then return 0 end
   return math.random(think_min, think_max)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         merged[status] = (merged[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(merged) do table.insert(parts, status .. "=" .. n) end
   table.sort(parts)
   local e = summary.errors
   io.write(string.format("RESULT requests=%d seconds=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f "
      .. "socket_errors=%d timeouts=%d statuses=%s\n",
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
      latency:percentile(99) / 1e3, latency.max / 1e3, e.connect + e.read + e.write, e.timeout,
      table.concat(parts, ",")))
end
