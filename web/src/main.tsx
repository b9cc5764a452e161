// The web UI's entry point: mounts the application shell into #root.

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import "./styles.css";

const root = document.getElementById("root");
if (root === null) throw new Error("the page has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
