// The demo's front page: its links point to the configured office.
// With several offices configured, the links point to the first one.
try {
  const offices = await (await fetch("/api/v1/offices")).json();
  const office = offices.find((o) => o.id === "central") || offices[0];
  if (office) {
    document.getElementById("office-name").textContent = office.name;
    document.getElementById("link-display").href = `/display/${office.id}`;
    document.getElementById("link-kiosk").href = `/kiosk/${office.id}`;
    document.getElementById("link-ticket").href = `/kiosk/${office.id}`;
  }
} catch {
  /* the links keep the demo office */
}
