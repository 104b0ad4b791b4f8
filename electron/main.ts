/** Entry point of the main process (bundled to dist-electron/main.cjs). */
import { startMainProcess } from './main-process';

startMainProcess();
