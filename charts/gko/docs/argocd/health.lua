-- Argo CD health of every gravitee.io kind, read from the conditions the operator writes:
--   Suspended    gravitee.io/reconcile is paused
--   Progressing  not reconciled yet (no status, or an older generation), being deleted, or a failure
--                being retried (Reconciling=True: APIM unreachable, a reference not in APIM yet)
--   Degraded     a failure that waits for the object to change (Stalled=True: a refused spec), or
--                any other Ready=False
--   Healthy      Ready=True for the current generation
local hs = { status = "Progressing", message = "Waiting for the operator to reconcile it" }

local metadata = obj.metadata or {}
local annotations = metadata.annotations or {}
if annotations["gravitee.io/reconcile"] == "paused" then
  hs.status = "Suspended"
  hs.message = "gravitee.io/reconcile is paused: the operator writes nothing for it"
  return hs
end
if metadata.deletionTimestamp ~= nil then
  hs.message = "Being deleted"
  return hs
end
if obj.status == nil or obj.status.conditions == nil then
  return hs
end

local function condition(kind)
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local ready = condition("Ready")
if ready == nil then
  return hs
end
if metadata.generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration ~= metadata.generation then
  hs.message = "Generation " .. metadata.generation .. " not reconciled yet"
  return hs
end
local said = (ready.reason or "") .. ": " .. (ready.message or "")
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = said
  return hs
end
local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.message = said
  return hs
end
hs.status = "Degraded"
hs.message = said
return hs
